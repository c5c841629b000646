"""HTTP routes beside the Reflex app (the cookie half of sign-in and sign-out, health) and the
ASGI wrapper that binds each browser's websocket to a secret of its own.

Settings: ``PORTAL_PUBLIC_URL`` is the address people open (``https://portal.example.org``);
when it is https every cookie is marked Secure, also behind a proxy that ends TLS.
"""

from __future__ import annotations

import logging
import os
import secrets
from datetime import UTC, datetime
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlsplit

import reflex as rx
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_app import routes
from portal_app.database import DATABASE_BUSY_ERRORS, open_session
from portal_app.services.appointments import viewable_appointment
from portal_app.services.auth import SESSION_LIFETIME, redeem_grant, revoke_session, viewer_for_token
from portal_app.services.notifications import appointment_calendar_file

logger = logging.getLogger(__name__)


def _frontend_url(path: str) -> str:
    # In development the pages are served from another port than this API.
    base = (rx.config.get_config().deploy_url or "").rstrip("/")
    return f"{base}{path}"


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def public_url() -> str:
    """The address people open the portal at (``PORTAL_PUBLIC_URL``), or "" when not set."""
    return os.environ.get("PORTAL_PUBLIC_URL", "").strip().rstrip("/")


def cookies_secure(scheme: str) -> bool:
    """Whether cookies get the Secure flag: the request came over TLS or the public URL is https.

    Behind a proxy that ends TLS the app itself sees plain http; the public URL says what
    browsers use.
    """
    return scheme in ("https", "wss") or public_url().startswith("https://")


def _from_own_pages(request: Request) -> bool:
    """Whether a state-changing request was sent by the portal's own pages (its Origin header).

    Browsers send Origin on every cross-site POST, and a page cannot forge it. The portal's
    pages are on this host, or on the configured public URL, deploy URL or allowed origins.
    """
    origin = request.headers.get("origin", "")
    if origin in ("", "null"):
        return False
    config = rx.config.get_config()
    own = {request.headers.get("host", "")} | {
        urlsplit(url).netloc
        for url in (public_url(), config.deploy_url or "", *config.cors_allowed_origins)
        if url and url != "*"
    }
    return urlsplit(origin).netloc in own - {""}


def complete_sign_in(request: Request) -> RedirectResponse:
    """Trade a one-time sign-in code for an HttpOnly session cookie, then go on."""
    code = request.query_params.get("code", "")
    next_path = request.query_params.get("next", "")
    try:
        with open_session(for_writing=True) as session:
            token = redeem_grant(
                session=session,
                code=code,
                browser_nonce=request.cookies.get(routes.BROWSER_COOKIE, ""),
                client_ip=_client_ip(request),
                now=datetime.now(UTC),
            )
    except DATABASE_BUSY_ERRORS as error:
        # The code was not used (its transaction rolled back); signing in again will work.
        logger.warning("Sign-in code not redeemed, the database is busy: %s", type(error).__name__)
        return RedirectResponse(_frontend_url(f"{routes.LOGIN}?busy=1"), status_code=303)
    if token is None:
        return RedirectResponse(_frontend_url(f"{routes.LOGIN}?expired=1"), status_code=303)
    target = next_path if routes.is_safe_next(next_path) else routes.HOME
    response = RedirectResponse(_frontend_url(target), status_code=303)
    response.set_cookie(
        routes.SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=cookies_secure(request.url.scheme),
        path="/",
    )
    return response


def sign_out(request: Request) -> Response:
    """``POST``: revoke the session (if the state has not already) and clear the cookie.

    Only a POST from the portal's own pages: a link or form on another site must not be able
    to sign anyone out. The page navigates to the sign-in page itself afterwards.
    """
    if not _from_own_pages(request):
        return PlainTextResponse("Sign out from the portal's own pages.", status_code=403)
    try:
        with open_session(for_writing=True) as session:
            revoke_session(
                session=session,
                token=request.cookies.get(routes.SESSION_COOKIE),
                now=datetime.now(UTC),
            )
    except DATABASE_BUSY_ERRORS as error:
        # The cookie goes regardless; the state revoked the session before calling this.
        logger.warning(
            "Sign-out could not revoke the session, the database is busy: %s", type(error).__name__
        )
    response = Response(status_code=204)
    response.delete_cookie(
        routes.SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=cookies_secure(request.url.scheme),
    )
    return response


def appointment_calendar(request: Request) -> Response:
    """``/api/appointments/<id>.ics``: Add to calendar, for whoever may see that appointment."""
    raw_id = request.path_params["appointment_id"]
    now = datetime.now(UTC)
    with open_session() as session:
        viewer = viewer_for_token(session=session, token=request.cookies.get(routes.SESSION_COOKIE), now=now)
        if viewer is None:
            return PlainTextResponse("Please sign in first.", status_code=401)
        appointment = (
            viewable_appointment(session=session, viewer=viewer, appointment_id=int(raw_id))
            if raw_id.isdigit() and len(raw_id) < 12
            else None
        )
        if appointment is None:
            return PlainTextResponse("That appointment could not be found.", status_code=404)
        calendar = appointment_calendar_file(session=session, appointment=appointment, now=now)
    return Response(
        calendar,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="appointment-{appointment.id}.ics"'},
    )


def health(_request: Request) -> JSONResponse:
    """Whether the app can reach its database."""
    try:
        with open_session() as session:
            session.exec(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return JSONResponse({"status": "error", "detail": type(error).__name__}, status_code=503)
    return JSONResponse({"status": "ok"})


api = Starlette(
    routes=[
        Route(routes.API_SIGN_IN_COMPLETE, complete_sign_in, methods=["GET"]),
        Route(routes.API_SIGN_OUT, sign_out, methods=["POST"]),
        Route(routes.API_HEALTH, health, methods=["GET"]),
        Route(routes.API_APPOINTMENT_ICS, appointment_calendar, methods=["GET"]),
    ]
)


class BrowserBinding:
    """ASGI wrapper: every websocket reaches the app with the browser's binding secret.

    A sign-in code is issued over the websocket and redeemed by a plain HTTP request, and it
    must only work in the browser that asked for it. So each browser holds a random secret in
    an HttpOnly, SameSite=Strict cookie (``routes.BROWSER_COOKIE``): the sign-in form's state
    reads it from the websocket's handshake headers and binds the code to it, and
    ``/api/auth/complete`` compares it. A browser without the cookie gets a new secret on its
    websocket handshake: added to the handshake's headers for the app, and set in the browser
    by the handshake's response. It lasts as long as the browser session, like the websocket.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or _has_cookie(scope, routes.BROWSER_COOKIE):
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(32)
        others = [value.decode("latin-1") for name, value in scope["headers"] if name == b"cookie"]
        cookie_header = "; ".join([*others, f"{routes.BROWSER_COOKIE}={nonce}"]).encode("latin-1")
        headers = [(name, value) for name, value in scope["headers"] if name != b"cookie"]
        scope = {**scope, "headers": [*headers, (b"cookie", cookie_header)]}
        set_cookie = f"{routes.BROWSER_COOKIE}={nonce}; Path=/; HttpOnly; SameSite=Strict"
        if cookies_secure(scope.get("scheme", "ws")):
            set_cookie += "; Secure"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "websocket.accept":
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"set-cookie", set_cookie.encode())],
                }
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _has_cookie(scope: Scope, name: str) -> bool:
    for header, value in scope["headers"]:
        if header == b"cookie":
            try:
                if SimpleCookie(value.decode("latin-1")).get(name):
                    return True
            except CookieError:
                continue
    return False
