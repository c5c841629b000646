"""Where keyboard focus goes when a dialog closes or a decision removes what was focused.

Radix returns focus on close only to its own ``Dialog.Trigger``; the portal opens its dialogs
from state (``open=``), so without this focus fell to ``<body>`` and a keyboard user started
again from the top of the page. These handlers run in the browser, synchronously, inside
Radix's own focus events (a round trip to the server would come too late).
"""

from __future__ import annotations

from reflex.vars.function import FunctionStringVar

# The element a page marks as the safe place for focus after a decision (its status message).
FALLBACK_ATTRIBUTE = "data-focus-fallback"
# Opening: remember what had focus (the button that opened the dialog). Dialogs can open from
# one another (details → wizard), so the openers are a stack.
_REMEMBER_OPENER = FunctionStringVar.create(
    "() => { (window.portalDialogOpeners ||= []).push(document.activeElement); }"
)
# Closing: back to the opener while it is still on the page. An opener that went away with
# what it belonged to (the card of a request just accepted or declined) is not replaced by
# whatever now stands in its place: focus goes to the page's status message, else to main.
_RETURN_FOCUS = FunctionStringVar.create(
    "() => {"
    " const opener = (window.portalDialogOpeners || []).pop();"
    " const target = opener && opener.isConnected && opener !== document.body ? opener"
    f" : document.querySelector('[{FALLBACK_ATTRIBUTE}]') || document.querySelector('main');"
    " target?.focus({ preventScroll: false });"
    " }"
)
# Moving focus to the page's status message at once, e.g. as Accept is pressed: the request's
# card (and its buttons) is about to disappear.
FOCUS_STATUS = FunctionStringVar.create(f"() => document.querySelector('[{FALLBACK_ATTRIBUTE}]')?.focus()")

FOCUS_MAIN = FunctionStringVar.create("() => document.querySelector('main')?.focus()")


def returns_focus() -> dict:
    """Props for a ``dialog.content`` / ``alert_dialog.content``: focus goes back to its opener."""
    return {"on_open_auto_focus": _REMEMBER_OPENER, "on_close_auto_focus": _RETURN_FOCUS}


def focus_fallback() -> dict:
    """Props marking an element (focusable by script only) as the page's safe place for focus."""
    return {"custom_attrs": {FALLBACK_ATTRIBUTE: "true"}, "tab_index": -1}
