""" "Forgot password?": ask for a reset link by email; the answer is the same for every email."""

from __future__ import annotations

from typing import Annotated

import reflex as rx
from pydantic import StringConstraints

from portal_app.database import DATABASE_BUSY_ERRORS
from portal_app.domain.accounts import InputProblem
from portal_app.http_security import portal_address
from portal_app.services.auth import TRY_AGAIN
from portal_app.services.password_reset import request_password_reset
from portal_app.state import wording
from portal_app.state.access import Form, in_worker, open_to_all
from portal_app.state.session import SessionState


class ResetRequestForm(Form):
    """The one field of the form."""

    email: Annotated[str, StringConstraints(max_length=1000)] = ""


class ForgotPasswordState(SessionState):
    """One email field; the answer never says whether the email has an account."""

    answer: str = ""
    error: str = ""
    sending: bool = False

    @rx.event
    @open_to_all
    async def load(self):
        """Name the practice and start with an empty form."""
        self.answer = self.error = ""
        await self._show_practice()

    @rx.event
    @open_to_all
    async def submit(self, form_data: ResetRequestForm):
        """Send a reset link if the email has an account (within the limits); answer the same either way."""
        if self.sending:
            return
        if not form_data.email.strip():
            self.error = wording.INPUT_PROBLEMS[InputProblem.EMAIL_INVALID]
            return
        self.sending, self.error = True, ""
        yield
        try:
            await in_worker(
                request_password_reset,
                writing=True,
                email=form_data.email,
                client_ip=self.router.session.client_ip,
                link_base=portal_address(),
                now=self._now(),
            )
        except DATABASE_BUSY_ERRORS:
            self.error = TRY_AGAIN
            return
        finally:
            self.sending = False
        self.answer = wording.RESET_REQUESTED
