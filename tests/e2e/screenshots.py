"""Screenshots of a page at desktop and phone width, for a person to look at.

Taken only when ``PORTAL_SCREENSHOTS`` names a folder; a normal run spends no time on them.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

FOLDER = os.environ.get("PORTAL_SCREENSHOTS", "")
SIZES = ((1440, 900, "desktop"), (390, 844, "phone"))


def screenshots(page: Page, name: str) -> None:
    """``<folder>/<name>-desktop.png`` and ``-phone.png``, whole pages; the tab's size is put back."""
    if not FOLDER:
        return
    before = page.viewport_size
    for width, height, label in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=Path(FOLDER) / f"{name}-{label}.png", full_page=True)
    if before:
        page.set_viewport_size(before)
