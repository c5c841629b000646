"""What is logged when an event goes wrong: never a cookie, a header or the sender's arguments.

No ``from __future__ import annotations`` here: Reflex evaluates the exception handler's return
annotation in its own module, where a string annotation naming ``rx`` would not resolve.
"""

import logging
import re
import traceback

import reflex as rx

from portal_app import routes

logger = logging.getLogger(__name__)

# A cookie header, or one of the portal's cookies, wherever it shows up in a log line.
_SECRETS = (
    re.compile(r"""(['"]?cookie['"]?\s*[:=]\s*)(['"]).*?\2""", re.IGNORECASE),
    re.compile(rf"((?:{routes.SESSION_COOKIE}|{routes.BROWSER_COOKIE})=)[^;'\"\s]*"),
)
_UNKNOWN_HANDLER = re.compile(r"Error processing event queue entry for Event\(name=(?P<name>'[^']*')")


def without_secrets(text: str) -> str:
    """``text`` with cookie headers and the portal's cookie values blanked out."""
    text = _SECRETS[0].sub(r"\1\2[redacted]\2", text)
    return _SECRETS[1].sub(r"\1[redacted]", text)


class _EventLogRedaction(logging.Filter):
    """Keeps request headers, cookies and arguments out of Reflex's event-processing logs.

    Reflex logs an event naming an unknown handler (anyone can send one) with the whole
    event, whose router data holds the websocket's headers, session cookie included, and a
    traceback. That becomes one warning with the name; anything else is scrubbed of cookies.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if unknown := _UNKNOWN_HANDLER.match(message):
            message = f"Refused an event for an unknown handler: {unknown['name'][:200]}"
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        record.msg, record.args = without_secrets(message), None
        return True


for _name in (
    "reflex_base.event.processor.event_processor",
    "reflex_base.event.processor.base_state_processor",
):
    logging.getLogger(_name).addFilter(_EventLogRedaction())


def _bad_arguments(exception: Exception) -> bool:
    # Reflex calls a handler with the event's payload as keyword arguments; a payload that does
    # not fit raises TypeError from that call itself, before any line of the handler runs.
    frames = traceback.extract_tb(exception.__traceback__)
    return isinstance(exception, TypeError) and bool(frames) and frames[-1].name == "process_event"


def backend_exception_handler(exception: Exception) -> rx.event.EventSpec | None:
    """Log a failed event without the request (headers, cookies, arguments) and tell the page.

    Any browser can send any event with any arguments: arguments a handler does not take are
    the sender's mistake, a warning without a traceback. Anything else is our bug: an error
    with its traceback, scrubbed of cookies.
    """
    if _bad_arguments(exception):
        logger.warning("Refused an event with arguments its handler does not take: %s", exception)
        return None
    details = without_secrets("".join(traceback.format_exception(exception)))
    logger.error("An event handler failed:\n%s", details)
    return rx.toast.error(
        "Something went wrong. Please reload the page and try again.", position="top-center"
    )
