"""The second step of signing in: a code from an authenticator app (or a recovery code), or, for
staff whose practice requires it, setting an app up first.

The challenge the password step earned stays in a backend var: the page never sees it, and it
only works with this browser's binding cookie. The app's secret is shown while it is set up and
cleared from the page as soon as the first code confirms it.
"""

from __future__ import annotations

from typing import Annotated

import reflex as rx
from pydantic import StringConstraints

from portal_app import routes
from portal_app.database import DATABASE_BUSY_ERRORS
from portal_app.domain.one_time_codes import MAX_TYPED_CODE
from portal_app.services.auth import TRY_AGAIN
from portal_app.services.second_step import (
    CodeOutcome,
    answer_challenge,
    finish_enrolled_sign_in,
    step_view,
)
from portal_app.state import wording
from portal_app.state.access import Flag, Form, in_worker, open_to_all
from portal_app.state.session import SessionState, complete_sign_in


class CodeForm(Form):
    """One typed code (six digits, or a recovery code)."""

    code: Annotated[str, StringConstraints(max_length=MAX_TYPED_CODE)] = ""


class SignInCodeState(SessionState):
    """What the second step shows: a code field, or an app to set up and then recovery codes."""

    loaded: bool = False
    enrolling: bool = False
    person_name: str = ""
    # While an app is being set up only: its QR code (an SVG data URI) and its secret as text.
    qr_image: str = ""
    secret_text: str = ""
    use_recovery_code: bool = False
    # Shown once, right after the app is confirmed.
    recovery_codes: list[str] = []
    error: str = ""
    submitting: bool = False
    _challenge: str = ""
    _next: str = routes.HOME

    def _begin(self, challenge: str, next_path: str) -> None:
        """Called by the sign-in form when the password was right and a second step is due."""
        self._challenge, self._next = challenge, next_path
        self.recovery_codes, self.error, self.use_recovery_code = [], "", False

    def _forget(self) -> None:
        self._challenge = ""
        self.qr_image = self.secret_text = ""
        self.recovery_codes = []

    def _expired(self) -> rx.event.EventSpec:
        self._forget()
        return rx.redirect(f"{routes.LOGIN}?expired=1")

    @rx.event
    @open_to_all
    async def load(self):
        """Show what this sign-in still needs, or go back to the password if it is over."""
        if (elsewhere := await self._welcome()) is not None:
            return elsewhere
        self.loaded, self.error = False, ""
        if self.recovery_codes:
            self.loaded = True
            return None
        if not self._challenge:
            return rx.redirect(routes.LOGIN)
        view = await in_worker(
            step_view,
            writing=True,
            token=self._challenge,
            browser_nonce=self._browser_nonce() or "",
            now=self._now(),
        )
        if not view.live:
            return self._expired()
        self.enrolling, self.person_name = view.enrolling, view.name
        self.qr_image = view.enrolment.qr_image if view.enrolment else ""
        self.secret_text = view.enrolment.secret if view.enrolment else ""
        self.loaded = True
        return None

    @rx.event
    @open_to_all
    async def set_use_recovery_code(self, on: Flag):
        """Switch between the app's code and a recovery code."""
        self.use_recovery_code = on and not self.enrolling
        self.error = ""

    @rx.event
    @open_to_all
    async def submit(self, form_data: CodeForm):
        """Check the code; go on to the session, or show the new recovery codes once."""
        if self.submitting or not self._challenge:
            return
        if not form_data.code.strip():
            self.error = "Enter the code."
            return
        self.submitting, self.error = True, ""
        yield
        try:
            result = await in_worker(
                answer_challenge,
                writing=True,
                token=self._challenge,
                code=form_data.code,
                browser_nonce=self._browser_nonce() or "",
                client_ip=self.router.session.client_ip,
                now=self._now(),
            )
        except DATABASE_BUSY_ERRORS:
            self.error = TRY_AGAIN
            return
        finally:
            self.submitting = False
        if result.outcome == CodeOutcome.EXPIRED:
            yield self._expired()
        elif result.outcome != CodeOutcome.ACCEPTED:
            self.error = wording.CODE_OUTCOMES[result.outcome]
        elif result.grant_code:
            yield self._go_on(result.grant_code)
        else:
            # The app is on; its secret leaves the page now. The codes are shown this once.
            self.qr_image = self.secret_text = ""
            self.recovery_codes = list(result.recovery_codes)

    @rx.event
    @open_to_all
    async def finish(self):
        """After the recovery codes were shown: sign in."""
        if not self._challenge:
            return rx.redirect(routes.LOGIN)
        grant = await in_worker(
            finish_enrolled_sign_in,
            writing=True,
            token=self._challenge,
            browser_nonce=self._browser_nonce() or "",
            client_ip=self.router.session.client_ip,
            now=self._now(),
        )
        return self._go_on(grant) if grant else self._expired()

    @rx.event
    @open_to_all
    async def start_over(self):
        """Back to the email and password."""
        self._forget()
        return rx.redirect(routes.LOGIN)

    def _go_on(self, grant_code: str) -> rx.event.EventSpec:
        self._forget()
        return complete_sign_in(grant_code, self._next)
