"""HTTP routes beside the Reflex app: the cookie half of sign-in and sign-out, and health."""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from portal_app import routes
from portal_app.database import open_session
from portal_app.services.auth import SESSION_LIFETIME, redeem_grant, revoke_session


def _frontend_url(path: str) -> str:
    # In development the pages are served from another port than this API.
    base = (rx.config.get_config().deploy_url or "").rstrip("/")
    return f"{base}{path}"


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def complete_sign_in(request: Request) -> RedirectResponse:
    """Trade a one-time sign-in code for an HttpOnly session cookie, then go on."""
    code = request.query_params.get("code", "")
    next_path = request.query_params.get("next", "")
    with open_session(for_writing=True) as session:
        token = redeem_grant(session=session, code=code, client_ip=_client_ip(request), now=datetime.now(UTC))
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
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


def sign_out(request: Request) -> RedirectResponse:
    """Revoke the session (if the state has not already) and clear the cookie."""
    with open_session(for_writing=True) as session:
        revoke_session(
            session=session,
            token=request.cookies.get(routes.SESSION_COOKIE),
            now=datetime.now(UTC),
        )
    response = RedirectResponse(_frontend_url(f"{routes.LOGIN}?signed_out=1"), status_code=303)
    response.delete_cookie(routes.SESSION_COOKIE, path="/")
    return response


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
        Route(routes.API_SIGN_OUT, sign_out, methods=["GET"]),
        Route(routes.API_HEALTH, health, methods=["GET"]),
    ]
)
