"""HTTP routes beside the Reflex app: the cookie half of sign-in and sign-out, and health."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

import reflex as rx
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from portal_app import routes
from portal_app.database import DATABASE_BUSY_ERRORS, open_session
from portal_app.http_security import cookies_secure, new_browser_cookie, public_url
from portal_app.services.appointments import viewable_appointment
from portal_app.services.auth import SESSION_LIFETIME, redeem_grant, revoke_session, viewer_for_token
from portal_app.services.client_export import export_client
from portal_app.services.notifications import appointment_calendar_file
from portal_app.services.request_links import linked_request

logger = logging.getLogger(__name__)


def _frontend_url(path: str) -> str:
    # In development the pages are served from another port than this API.
    base = (rx.config.get_config().deploy_url or "").rstrip("/")
    return f"{base}{path}"


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


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
        response = RedirectResponse(_frontend_url(f"{routes.LOGIN}?expired=1"), status_code=303)
        if routes.BROWSER_COOKIE not in request.cookies:
            # Where the handshake could not give this browser its secret, the next try has one.
            response.headers.append("set-cookie", new_browser_cookie(request.url.scheme))
        return response
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
    appointment_id = routes.record_id_in_url(request.path_params["appointment_id"])
    now = datetime.now(UTC)
    with open_session() as session:
        viewer = viewer_for_token(session=session, token=request.cookies.get(routes.SESSION_COOKIE), now=now)
        if viewer is None:
            return PlainTextResponse("Please sign in first.", status_code=401)
        appointment = (
            viewable_appointment(session=session, viewer=viewer, appointment_id=appointment_id)
            if appointment_id is not None
            else None
        )
        if appointment is None:
            return PlainTextResponse("That appointment could not be found.", status_code=404)
        calendar = appointment_calendar_file(session=session, appointment=appointment, now=now)
    return _calendar_download(calendar, f"appointment-{appointment.id}.ics")


def request_calendar(request: Request) -> Response:
    """``/api/requests/<token>.ics``: a new client's Add to calendar, by their request's link."""
    now = datetime.now(UTC)
    with open_session() as session:
        appointment = linked_request(session=session, token=request.path_params["token"], now=now)
        if appointment is None:
            return PlainTextResponse("This link no longer works.", status_code=404)
        calendar = appointment_calendar_file(session=session, appointment=appointment, now=now)
    return _calendar_download(calendar, "appointment-request.ics")


def _calendar_download(calendar: str, filename: str) -> Response:
    return Response(
        calendar,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def client_data(request: Request) -> Response:
    """``/api/clients/<id>/export.json``: a client's data, for an admin of their practice only."""
    client_id = routes.record_id_in_url(request.path_params["client_id"])
    now = datetime.now(UTC)
    with open_session() as session:
        viewer = viewer_for_token(session=session, token=request.cookies.get(routes.SESSION_COOKIE), now=now)
        if viewer is None:
            return PlainTextResponse("Please sign in first.", status_code=401)
        export = (
            export_client(session=session, viewer=viewer, client_id=client_id, now=now)
            if client_id is not None
            else None
        )
    if export is None:
        # The same answer for another practice's client, a missing one and a non-admin.
        return PlainTextResponse("That client could not be found.", status_code=404)
    logger.info("Client %s's data exported by user %s", client_id, viewer.user_id)
    return Response(
        json.dumps(export, ensure_ascii=False, indent=2),
        media_type="application/json; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="client-{client_id}-{now:%Y-%m-%d}.json"',
            "Cache-Control": "no-store",
        },
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
        Route(routes.API_REQUEST_ICS, request_calendar, methods=["GET"]),
        Route(routes.API_CLIENT_EXPORT, client_data, methods=["GET"]),
    ]
)
