"""Route constants, who may open each page, and URL builders."""

from __future__ import annotations

from urllib.parse import urlencode

from portal_app.domain.vocabulary import Role

HOME = "/"
LOGIN = "/login"
APPOINTMENTS = "/appointments"
CALENDAR = "/calendar"
DASHBOARD = "/dashboard"
AVAILABILITY = "/availability"
SETTINGS = "/settings"
CLIENTS = "/clients"
OUTBOX = "/admin/outbox"
TEAM = "/team"
SET_PASSWORD = "/set-password"
FORGOT_PASSWORD = "/forgot-password"
BOOK = "/book/[slug]"
BOOK_PREFIX = "/book/"
# Reflex serves the page registered at "404" for every address it does not know.
NOT_FOUND = "404"

API_SIGN_IN_COMPLETE = "/api/auth/complete"
API_SIGN_OUT = "/api/auth/sign-out"
API_HEALTH = "/api/health"
API_APPOINTMENT_ICS = "/api/appointments/{appointment_id}.ics"

SESSION_COOKIE = "portal_session"
# A random secret per browser that a sign-in code is bound to (see ``http_security.BrowserBinding``).
BROWSER_COOKIE = "portal_browser"

_STAFF = frozenset({Role.CLINICIAN, Role.ADMIN})

PAGE_ROLES: dict[str, frozenset[Role]] = {
    APPOINTMENTS: frozenset({Role.CLIENT}),
    CALENDAR: frozenset({Role.CLIENT}),
    DASHBOARD: _STAFF,
    AVAILABILITY: _STAFF,
    SETTINGS: _STAFF,
    CLIENTS: _STAFF,
    OUTBOX: frozenset({Role.ADMIN}),
    TEAM: frozenset({Role.ADMIN}),
}


def roles_for(path: str) -> frozenset[Role] | None:
    """Who may open the page at ``path`` (None: a page we do not know, closed to everyone)."""
    if path.startswith(BOOK_PREFIX) and path.count("/") == 2:
        return frozenset({Role.CLIENT})
    return PAGE_ROLES.get(path)


HOME_FOR_ROLE: dict[Role, str] = {
    Role.CLIENT: APPOINTMENTS,
    Role.CLINICIAN: DASHBOARD,
    Role.ADMIN: DASHBOARD,
}


def normalize_path(path: str) -> str:
    """``/appointments/`` and ``/appointments`` are the same page."""
    return path.rstrip("/") or HOME


def is_safe_next(path: str | None) -> bool:
    """Only same-site absolute paths may be returned to after sign-in (no open redirect)."""
    return (
        isinstance(path, str)
        and path.startswith("/")
        and not path.startswith("//")
        and "\\" not in path
        and not path.startswith("/api/")
    )


def login_url(next_path: str | None = None) -> str:
    """The sign-in page, remembering where to go afterwards."""
    if next_path and is_safe_next(next_path) and next_path != LOGIN:
        return f"{LOGIN}?{urlencode({'next': next_path})}"
    return LOGIN


def sign_in_complete_url(api_base: str, *, code: str, next_path: str) -> str:
    """Where the browser trades its one-time code for the session cookie."""
    return f"{api_base.rstrip('/')}{API_SIGN_IN_COMPLETE}?{urlencode({'code': code, 'next': next_path})}"


def booking_link(slug: str) -> str:
    """A clinician's direct booking link."""
    return f"{BOOK_PREFIX}{slug}"


def appointments_booking(slug: str) -> str:
    """The Appointments tab with the booking wizard opened for ``slug``."""
    return f"{APPOINTMENTS}?{urlencode({'book': slug})}"


def calendar_file_url(api_base: str, appointment_id: int | str) -> str:
    """Where "Add to calendar" downloads an appointment's .ics."""
    return f"{api_base.rstrip('/')}{API_APPOINTMENT_ICS.format(appointment_id=appointment_id)}"


def phone_link(phone: str) -> str:
    """A ``tel:`` link for a phone number as the practice typed it (empty: no number)."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""


def set_password_link(public_base: str, token: str) -> str:
    """The one-time link an invitation or password reset carries."""
    return f"{public_base.rstrip('/')}{SET_PASSWORD}?{urlencode({'token': token})}"


def appointment_link(appointment_id: int) -> str:
    """The Appointments tab with one appointment's details open (links in emails)."""
    return f"{APPOINTMENTS}?{urlencode({'open': appointment_id})}"
