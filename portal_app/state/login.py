"""Sign-in page state."""

from __future__ import annotations

import logging
import os
from typing import Annotated

import reflex as rx
from pydantic import StringConstraints

from portal_app import routes
from portal_app.database import DATABASE_BUSY_ERRORS
from portal_app.demo_logins import DEMO_LOGINS
from portal_app.services.account_results import AccountOutcome
from portal_app.services.auth import TRY_AGAIN, sign_in
from portal_app.state import wording
from portal_app.state.access import Form, in_worker, open_to_all
from portal_app.state.session import SessionState, ask_browser_zone, complete_sign_in
from portal_app.state.sign_in_code import SignInCodeState

RELOAD = "Please reload the page and sign in again."

logger = logging.getLogger(__name__)


class SignInForm(Form):
    """The sign-in form's two fields (longer values are refused before any lookup)."""

    email: Annotated[str, StringConstraints(max_length=254)] = ""
    password: Annotated[str, StringConstraints(max_length=1024)] = ""


class LoginState(SessionState):
    """The sign-in form: one password check on the server, then the cookie handshake."""

    error: str = ""
    notice: str = ""
    submitting: bool = False
    # Filled only in demo mode (PORTAL_DEMO=1): "Client: alex.rivera@example.com / password".
    demo_logins: list[str] = []
    # Filled in by the set-password page, so the person signs in without retyping their email.
    _prefill_email: str = ""

    @rx.event
    @open_to_all
    async def load(self):
        """Show the practice, explain why we are here, and skip the form if already signed in."""
        if (elsewhere := await self._welcome()) is not None:
            return elsewhere
        demo = os.environ.get("PORTAL_DEMO") == "1"
        self.demo_logins = [f"{d.label}: {d.email} / {d.password}" for d in DEMO_LOGINS] if demo else []
        params = self.router.url.query_parameters
        self.error = ""
        self.notice = (
            wording.ACCOUNT_OUTCOMES[AccountOutcome.PASSWORD_SET]
            if "password_set" in params
            else "Your sign-in link expired. Please sign in again."
            if "expired" in params
            else TRY_AGAIN
            if "busy" in params
            else "You have been logged out."
            if "signed_out" in params
            else wording.SIGNED_OUT_IDLE
            if "idle" in params
            else "Please sign in to continue."
            if "next" in params
            else ""
        )
        if self._prefill_email:
            return [ask_browser_zone(), rx.set_value("email", self._prefill_email), rx.set_focus("password")]
        return ask_browser_zone()

    @rx.event
    @open_to_all
    async def submit(self, form_data: SignInForm):
        """Check the email and password; on success hand the browser a one-time code."""
        if self.submitting:
            return
        email, password = form_data.email, form_data.password
        if not email.strip() or not password:
            self.error = "Enter your email and password."
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
            result = await in_worker(
                sign_in,
                writing=True,
                email=email,
                password=password,
                client_ip=self.router.session.client_ip,
                browser_nonce=browser_nonce,
                now=self._now(),
            )
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
        self._prefill_email = ""
        next_path = self.router.url.query_parameters.get("next", "")
        if not routes.is_safe_next(next_path):
            next_path = routes.HOME
        if result.challenge:
            # The password was right; a code (or setting up an app) comes before the session.
            code_step = await self.get_state(SignInCodeState)
            code_step._begin(result.challenge, next_path)
            yield rx.redirect(routes.SIGN_IN_CODE)
            return
        yield complete_sign_in(result.grant_code, next_path)
