"""Sign-in security, each person's own: two-factor sign-in with an authenticator app, on or off."""

from __future__ import annotations

import reflex as rx

from portal_app.database import DATABASE_BUSY_ERRORS
from portal_app.services.auth import TRY_AGAIN, Viewer
from portal_app.services.second_step import (
    CodeOutcome,
    begin_own_enrolment,
    confirm_own_enrolment,
    security_status,
    turn_off,
)
from portal_app.state import wording
from portal_app.state.access import in_worker, requires
from portal_app.state.session import SessionState
from portal_app.state.sign_in_code import CodeForm


class SecurityState(SessionState):
    """Whether two-factor is on; setting an app up (QR code, secret, first code); turning it off."""

    loaded: bool = False
    enabled: bool = False
    required: bool = False
    recovery_codes_left: int = 0
    # While an app is being set up only: its QR code (an SVG data URI) and its secret as text.
    qr_image: str = ""
    secret_text: str = ""
    # Shown once, right after the app is confirmed.
    recovery_codes: list[str] = []
    turning_off: bool = False
    error: str = ""
    notice: str = ""
    working: bool = False

    async def _show(self, viewer: Viewer) -> None:
        status = await in_worker(security_status, user_id=viewer.user_id)
        self.enabled, self.required = status.enabled, status.required
        self.recovery_codes_left = status.recovery_codes_left
        self.loaded = True

    @rx.event
    @requires()
    async def load(self, viewer: Viewer):
        """Show whether two-factor is on (an app being set up is started again from the top)."""
        self.qr_image = self.secret_text = self.error = self.notice = ""
        self.recovery_codes, self.turning_off = [], False
        await self._show(viewer)

    @rx.event
    @requires()
    async def start(self, viewer: Viewer):
        """Set up an app: show its QR code and secret, and ask for its first code."""
        enrolment = await in_worker(
            begin_own_enrolment, writing=True, user_id=viewer.user_id, now=self._now()
        )
        self.error = self.notice = ""
        if enrolment is None:
            await self._show(viewer)
            return
        self.qr_image, self.secret_text = enrolment.qr_image, enrolment.secret

    @rx.event
    @requires()
    async def cancel(self, viewer: Viewer):
        """Leave setting up or turning off; nothing changes."""
        self.qr_image = self.secret_text = self.error = ""
        self.turning_off = False

    @rx.event
    @requires()
    async def confirm(self, viewer: Viewer, form_data: CodeForm):
        """The app's first code turns two-factor on; the recovery codes are shown this once."""
        result = await self._with_code(
            confirm_own_enrolment, viewer, form_data.code, ignore_empty=not self.secret_text
        )
        if result is None:
            return
        if result.outcome == CodeOutcome.ACCEPTED:
            self.qr_image = self.secret_text = ""
            self.recovery_codes = list(result.recovery_codes)
            self.notice = "Two-factor sign-in is on."
        else:
            self.error = wording.CODE_OUTCOMES[result.outcome]
        await self._show(viewer)

    @rx.event
    @requires()
    async def ask_turn_off(self, viewer: Viewer):
        """Ask for a code before turning two-factor off."""
        self.turning_off, self.error, self.notice, self.recovery_codes = True, "", "", []

    @rx.event
    @requires()
    async def turn_off(self, viewer: Viewer, form_data: CodeForm):
        """A right app or recovery code turns two-factor off."""
        outcome = await self._with_code(turn_off, viewer, form_data.code, ignore_empty=not self.turning_off)
        if outcome is None:
            return
        if outcome == CodeOutcome.ACCEPTED:
            self.turning_off = False
            self.notice = "Two-factor sign-in is off. Your password alone signs you in."
        else:
            self.error = wording.CODE_OUTCOMES[outcome]
        await self._show(viewer)

    @rx.event
    @requires()
    async def saved_codes(self, viewer: Viewer):
        """The person has kept their recovery codes: they leave the page."""
        self.recovery_codes = []

    async def _with_code(self, service, viewer: Viewer, code: str, *, ignore_empty: bool):
        if self.working or ignore_empty:
            return None
        if not code.strip():
            self.error = "Enter the code."
            return None
        self.working, self.error = True, ""
        try:
            return await in_worker(
                service,
                writing=True,
                user_id=viewer.user_id,
                code=code,
                client_ip=self.router.session.client_ip,
                now=self._now(),
            )
        except DATABASE_BUSY_ERRORS:
            self.error = TRY_AGAIN
            return None
        finally:
            self.working = False
