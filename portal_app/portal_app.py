"""The Reflex app: pages, the HTTP routes beside them, the email sender's lifetime."""

import asyncio
import contextlib

import reflex as rx

from portal_app.api import api
from portal_app.database import open_session
from portal_app.event_logs import backend_exception_handler
from portal_app.http_security import BrowserBinding, SecurityHeaders
from portal_app.mail_config import mail_round_from_env, smtp_settings_from_env
from portal_app.pages import (  # noqa: F401  (pages register themselves)
    appointments,
    availability,
    book,
    client_calendar,
    clients,
    dashboard,
    forgot_password,
    home,
    login,
    new_client,
    not_found,
    outbox,
    request_link,
    security,
    set_password,
    settings,
    sign_in_code,
    team,
)
from portal_app.services.email_sender import start_background_sender


@contextlib.asynccontextmanager
async def email_outbox_sender():
    """Deliver the outbox (and queue reminders) in a background thread while the app runs."""
    sender = start_background_sender(
        session_factory=lambda: open_session(for_writing=True),
        smtp_settings=smtp_settings_from_env(),
        interval=mail_round_from_env(),
    )
    try:
        yield
    finally:
        await asyncio.to_thread(sender.stop, 30)


# Outermost last: the headers cover the API routes, the pages and Reflex's own endpoints.
app = rx.App(
    api_transformer=[api, BrowserBinding, SecurityHeaders],
    backend_exception_handler=backend_exception_handler,
    # The colour scales and focus rings that meet WCAG 2.1 AA contrast (assets/theme.css).
    stylesheets=["/theme.css"],
)
app.register_lifespan_task(email_outbox_sender)
