"""The base state every page state inherits: who is signed in, checked on every event.

Nothing here is trusted from the browser: the session token comes from the HttpOnly cookie
in the websocket's handshake headers (filled in by the server), and it is looked up in the
database on every call, so a revoked or expired session is refused on the very next event.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from portal_app import routes
from portal_app.database import open_session
from portal_app.domain.time_display import valid_zone
from portal_app.models import Role
from portal_app.services.auth import Viewer, remember_time_zone, revoke_session, viewer_for_token

_READ_BROWSER_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone"


class SessionState(rx.State):
    """Who is signed in, for the shell; and the access check for every handler."""

    signed_in: bool = False
    # Whether the signed-in person may see the page now open (set by ``guard_page``).
    page_allowed: bool = False
    viewer_name: str = ""
    viewer_role: str = ""
    practice_name: str = ""
    # The browser's IANA zone, reported by the page; times are shown in it.
    browser_zone: str = ""

    @rx.var
    def current_page(self) -> str:
        """The open page's route, without the trailing slash a static host may add."""
        return routes.normalize_path(self.router.url.path)

    def _now(self) -> datetime:
        return datetime.now(UTC)

    def _session_token(self) -> str | None:
        cookie_header = self.router.headers.cookie or ""
        try:
            morsel = SimpleCookie(cookie_header).get(routes.SESSION_COOKIE)
        except CookieError:
            return None
        return morsel.value if morsel else None

    def _require_user(self, *roles: Role) -> Viewer | None:
        """The signed-in person if their role is one of ``roles`` (any role when empty).

        Returns None when nobody is signed in, the session is expired or revoked, or the role
        is not allowed; the caller then returns ``self._refusal()`` and changes nothing.
        """
        with open_session() as session:
            viewer = viewer_for_token(session=session, token=self._session_token(), now=self._now())
        self._show_viewer(viewer)
        if viewer is None or (roles and viewer.role not in roles):
            return None
        return viewer

    def _show_viewer(self, viewer: Viewer | None) -> None:
        self.signed_in = viewer is not None
        self.viewer_name = viewer.display_name if viewer else ""
        self.viewer_role = viewer.role.value if viewer else ""
        self.practice_name = viewer.practice_name if viewer else ""

    def _display_zone(self, viewer: Viewer) -> str:
        """The zone to show times in: the browser's, else the one last seen, else the practice's."""
        return self.browser_zone or viewer.time_zone or viewer.practice_zone

    def _refusal(self) -> rx.event.EventSpec:
        """Where to send someone whose event was refused: sign-in, or their own home page."""
        if not self.signed_in:
            return rx.redirect(routes.login_url(self.current_page))
        return rx.redirect(routes.HOME_FOR_ROLE[Role(self.viewer_role)])

    @rx.event
    def guard_page(self):
        """On every protected page load: turn away anyone who may not see this page."""
        allowed = routes.roles_for(self.current_page)
        # A page missing from PAGE_ROLES is closed to everyone rather than open to all.
        viewer = self._require_user(*allowed) if allowed else None
        self.page_allowed = viewer is not None
        if viewer is None:
            return self._refusal()
        if not self.browser_zone:
            return ask_browser_zone()
        self._remember_zone(viewer)
        return None

    @rx.event
    def set_browser_zone(self, zone: str):
        """Remember the browser's zone for display and for the signed-in person's emails."""
        zone = valid_zone(zone)
        if zone is None:
            return
        self.browser_zone = zone
        viewer = self._require_user()
        if viewer is not None:
            self._remember_zone(viewer)

    def _remember_zone(self, viewer: Viewer) -> None:
        if self.browser_zone and viewer.time_zone != self.browser_zone:
            with open_session(for_writing=True) as session:
                remember_time_zone(session=session, user_id=viewer.user_id, zone=self.browser_zone)

    @rx.event
    def sign_out(self):
        """End the session on the server at once, then clear the cookie."""
        with open_session(for_writing=True) as session:
            revoke_session(session=session, token=self._session_token(), now=self._now())
        self._show_viewer(None)
        self.page_allowed = False
        target = f"{rx.config.get_config().api_url.rstrip('/')}{routes.API_SIGN_OUT}"
        # The HttpOnly cookie can only be cleared by the server, which takes a POST (not a link).
        return rx.call_script(
            f"fetch({json.dumps(target)}, {{method: 'POST', credentials: 'include'}})"
            f".finally(() => window.location.assign({json.dumps(routes.LOGIN + '?signed_out=1')}))"
        )


def ask_browser_zone() -> rx.event.EventSpec:
    """An event asking the browser for its IANA zone, answered to ``set_browser_zone``."""
    return rx.call_script(_READ_BROWSER_ZONE, callback=SessionState.set_browser_zone)
