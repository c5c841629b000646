"""Sign-in page state."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from portal_app import routes
from portal_app.database import DATABASE_BUSY_ERRORS, open_session
from portal_app.services.auth import TRY_AGAIN, sign_in
from portal_app.services.practice import the_practice
from portal_app.state.session import SessionState, ask_browser_zone

MAX_FIELD_LENGTH = 254
RELOAD = "Please reload the page and sign in again."

logger = logging.getLogger(__name__)


class LoginState(SessionState):
    """The sign-in form: one password check on the server, then the cookie handshake."""

    error: str = ""
    notice: str = ""
    submitting: bool = False
    practice_phone: str = ""
    show_demo_logins: bool = False

    @rx.event
    def load(self):
        """Show the practice, explain why we are here, and skip the form if already signed in."""
        viewer = self._require_user()
        if viewer is not None:
            return rx.redirect(routes.HOME_FOR_ROLE[viewer.role])
        with open_session() as session:
            practice = the_practice(session=session)
        self.practice_name = practice.name if practice else "Client Portal"
        self.practice_phone = practice.phone if practice else ""
        self.show_demo_logins = os.environ.get("PORTAL_DEMO") == "1"
        params = self.router.url.query_parameters
        self.error = ""
        self.notice = (
            "Your sign-in link expired. Please sign in again."
            if "expired" in params
            else TRY_AGAIN
            if "busy" in params
            else "You have been logged out."
            if "signed_out" in params
            else "Please sign in to continue."
            if "next" in params
            else ""
        )
        return ask_browser_zone()

    @rx.event
    async def submit(self, form_data: dict):
        """Check the email and password; on success hand the browser a one-time code."""
        if self.submitting:
            return
        email = form_data.get("email") if isinstance(form_data, dict) else None
        password = form_data.get("password") if isinstance(form_data, dict) else None
        if not isinstance(email, str) or not isinstance(password, str):
            self.error = "Enter your email and password."
            return
        if not email.strip() or not password:
            self.error = "Enter your email and password."
            return
        if len(email) > MAX_FIELD_LENGTH or len(password) > 1024:
            self.error = "That email and password don't match our records."
            return
        browser_nonce = self._browser_nonce()
        if not browser_nonce:
            # Only missing if this connection bypassed the server's binding; a new one gets it.
            self.error = RELOAD
            return
        self.submitting = True
        self.error = ""
        yield
        try:
            result = await asyncio.to_thread(self._check_password, email, password, browser_nonce)
        except DATABASE_BUSY_ERRORS as error:
            # Nothing was signed in; saying so beats an error toast or a dead button.
            logger.warning("Sign-in not checked, the database is busy: %s", type(error).__name__)
            self.error = TRY_AGAIN
            return
        finally:
            self.submitting = False
        if result.error:
            self.error = result.error
            return
        next_path = self.router.url.query_parameters.get("next", "")
        if not routes.is_safe_next(next_path):
            next_path = routes.HOME
        target = routes.sign_in_complete_url(
            rx.config.get_config().api_url, code=result.grant_code, next_path=next_path
        )
        yield rx.call_script(f"window.location.assign({json.dumps(target)})")

    def _browser_nonce(self) -> str | None:
        # From the websocket's handshake headers, which the server fills in (see
        # ``http_security.BrowserBinding``); the page's scripts can neither read nor set this cookie.
        try:
            morsel = SimpleCookie(self.router.headers.cookie or "").get(routes.BROWSER_COOKIE)
        except CookieError:
            return None
        return morsel.value if morsel else None

    def _check_password(self, email: str, password: str, browser_nonce: str):
        with open_session(for_writing=True) as session:
            return sign_in(
                session=session,
                email=email,
                password=password,
                client_ip=self.router.session.client_ip,
                browser_nonce=browser_nonce,
                now=self._now(),
            )
