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
# A new client's request: the public wizard, and the page its emailed links open.
NEW_CLIENT = "/new-client"
MY_REQUEST = "/request"
FORGOT_PASSWORD = "/forgot-password"
# The second step of signing in: a code from an authenticator app, or setting one up.
SIGN_IN_CODE = "/login/code"
# Each person's own sign-in security: two-factor on or off.
SECURITY = "/security"
BOOK = "/book/[slug]"
BOOK_PREFIX = "/book/"
# Reflex serves the page registered at "404" for every address it does not know.
NOT_FOUND = "404"

API_SIGN_IN_COMPLETE = "/api/auth/complete"
API_SIGN_OUT = "/api/auth/sign-out"
API_HEALTH = "/api/health"
API_APPOINTMENT_ICS = "/api/appointments/{appointment_id}.ics"
API_REQUEST_ICS = "/api/requests/{token}.ics"
API_CLIENT_EXPORT = "/api/clients/{client_id}/export.json"

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
    SECURITY: frozenset({Role.CLIENT, Role.CLINICIAN, Role.ADMIN}),
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


def login_url(next_path: str | None = None, *, idle: bool = False) -> str:
    """The sign-in page, remembering where to go afterwards (and saying a session ended idle)."""
    query = {"idle": "1"} if idle else {}
    if next_path and is_safe_next(next_path) and next_path != LOGIN:
        query["next"] = next_path
    return f"{LOGIN}?{urlencode(query)}" if query else LOGIN


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


def client_export_url(api_base: str, client_id: int) -> str:
    """Where a practice admin downloads everything the portal holds about a client."""
    return f"{api_base.rstrip('/')}{API_CLIENT_EXPORT.format(client_id=client_id)}"


def record_id_in_url(text: str) -> int | None:
    """The id a URL names (a path part or a query value), or None when it names none.

    Only ASCII digits: ``"²".isdigit()`` is true but ``int("²")`` fails, and an id past 2**53
    cannot be a row of ours (nor fit a database integer).
    """
    if not (text.isascii() and text.isdigit() and 0 < len(text) < 16):
        return None
    number = int(text)
    return number if 0 < number < 2**53 else None


def phone_link(phone: str) -> str:
    """A ``tel:`` link for a phone number as the practice typed it (empty: no number)."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""


def set_password_link(public_base: str, token: str) -> str:
    """The one-time link an invitation or password reset carries."""
    return f"{public_base.rstrip('/')}{SET_PASSWORD}?{urlencode({'token': token})}"


def request_link(public_base: str, token: str) -> str:
    """A new client's link to confirm, see or cancel their request."""
    return f"{public_base.rstrip('/')}{MY_REQUEST}?{urlencode({'token': token})}"


def request_calendar_url(api_base: str, token: str) -> str:
    """A new client's "Add to calendar" for their request (the token is their link's)."""
    return f"{api_base.rstrip('/')}{API_REQUEST_ICS.format(token=token)}"


def new_client_booking(slug: str = "") -> str:
    """The public wizard, with a clinician chosen when ``slug`` names one."""
    return f"{NEW_CLIENT}?{urlencode({'with': slug})}" if slug else NEW_CLIENT


def appointment_link(appointment_id: int) -> str:
    """The Appointments tab with one appointment's details open (links in emails)."""
    return f"{APPOINTMENTS}?{urlencode({'open': appointment_id})}"
