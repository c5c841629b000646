"""The set-password page: an invitation's or a password reset's one-time link lands here."""

from __future__ import annotations

from typing import Annotated

import reflex as rx
from pydantic import StringConstraints

from portal_app import routes
from portal_app.database import DATABASE_BUSY_ERRORS
from portal_app.services.account_results import AccountOutcome
from portal_app.services.accounts import password_link_view, set_password_with_link
from portal_app.services.auth import TRY_AGAIN
from portal_app.services.one_time_links import MAX_TOKEN_LENGTH
from portal_app.state import wording
from portal_app.state.access import Form, in_worker, open_to_all
from portal_app.state.login import LoginState
from portal_app.state.session import SessionState


class NewPasswordForm(Form):
    """The password, typed twice (longer values are refused before anything is looked up)."""

    password: Annotated[str, StringConstraints(max_length=1024)] = ""
    confirm: Annotated[str, StringConstraints(max_length=1024)] = ""


class SetPasswordState(SessionState):
    """Whose account the link is for, and choosing its password."""

    loaded: bool = False
    # Why the link does not work ("" while it does).
    link_error: str = ""
    account_name: str = ""
    account_email: str = ""
    account_practice: str = ""
    is_reset: bool = False
    password_error: str = ""
    confirm_error: str = ""
    form_error: str = ""
    saving: bool = False
    # The token from the address; kept on the server, never sent back to the page.
    _token: str = ""

    @rx.event
    @open_to_all
    async def load(self):
        """Read the token from the address and say whose account it is for, or why it fails."""
        token = self.router.url.query_parameters.get("token", "")
        self._token = token if isinstance(token, str) and len(token) <= MAX_TOKEN_LENGTH else ""
        self.password_error = self.confirm_error = self.form_error = ""
        # Unlike the sign-in page, a signed-in browser stays here: the link may be someone else's.
        await self._show_practice()
        view = await in_worker(password_link_view, token=self._token, now=self._now())
        self.link_error = wording.LINK_PROBLEMS[view.problem] if view.problem is not None else ""
        self.account_name, self.account_email = view.name, view.email
        self.account_practice = view.practice_name or self.practice_name
        self.is_reset = view.is_reset
        self.loaded = True

    @rx.event
    @open_to_all
    async def submit(self, form_data: NewPasswordForm):
        """Check the new password, set it with the link, and go to sign-in with the email filled in."""
        if self.saving or not self._token:
            return
        self.saving = True
        self.password_error = self.confirm_error = self.form_error = ""
        yield
        try:
            result = await in_worker(
                set_password_with_link,
                writing=True,
                token=self._token,
                password=form_data.password,
                confirmation=form_data.confirm,
                now=self._now(),
            )
        except DATABASE_BUSY_ERRORS:
            self.form_error = TRY_AGAIN
            return
        finally:
            self.saving = False
        if result.outcome == AccountOutcome.PASSWORD_SET:
            login = await self.get_state(LoginState)
            login._prefill_email = result.email
            yield rx.redirect(f"{routes.LOGIN}?password_set=1")
            return
        text = wording.account_text(result)
        if result.outcome == AccountOutcome.LINK_UNUSABLE:
            self.link_error = text
        elif result.field_name == "confirm":
            self.confirm_error = text
        else:
            self.password_error = text
