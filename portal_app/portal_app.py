"""The Reflex app: theme, pages and the HTTP routes beside them."""

import reflex as rx

from portal_app.api import api
from portal_app.pages import (  # noqa: F401  (pages register themselves)
    appointments,
    client_calendar,
    home,
    login,
    staff,
)

app = rx.App(api_transformer=api)
