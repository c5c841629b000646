"""Screenshots of a page at desktop and phone width, for a person to look at (not compared)."""

from __future__ import annotations

import os

from playwright.sync_api import Page

SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS", "/tmp")


def screenshots(page: Page, name: str) -> None:
    """``<name>-desktop.png`` (1440×900) and ``<name>-phone.png`` (390×844) in ``PORTAL_SCREENSHOTS``."""
    for width, height, label in ((1440, 900, "desktop"), (390, 844, "phone")):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})
