"""Signing out takes a POST from the portal's own pages; another site cannot sign anyone out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal_app import database, routes
from portal_app.services import auth
from portal_app.state.session import SessionState
from tests.security.conftest import CLIENT_EMAILS, PASSWORD, http, script_of
from tests.state.conftest import Browser, run


@pytest.fixture
def token(file_app_db) -> str:
    now = datetime.now(UTC)
    with database.open_session(for_writing=True) as session:
        code = auth.sign_in(
            session=session,
            email=CLIENT_EMAILS[0],
            password=PASSWORD,
            client_ip="10.0.0.1",
            browser_nonce="browser",
            now=now,
        ).grant_code
        return auth.redeem_grant(session=session, code=code, browser_nonce="browser", client_ip="", now=now)


def still_signed_in(token: str) -> bool:
    with database.open_session() as session:
        return auth.viewer_for_token(session=session, token=token, now=datetime.now(UTC)) is not None


def sign_out(token: str, method: str = "POST", origin: str | None = None):
    headers = {"origin": origin} if origin else {}
    return http(method, routes.API_SIGN_OUT, headers=headers, cookies=f"{routes.SESSION_COOKIE}={token}")


def test_a_link_to_sign_out_from_another_site_does_nothing(token):
    response = sign_out(token, method="GET", origin="https://evil.example")

    # 405 from the route alone; 404 once the app has mounted the pages behind it (production).
    assert response.status_code in (404, 405)
    assert still_signed_in(token)
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("origin", ["https://evil.example", "null", None])
def test_a_post_from_another_site_or_of_unknown_origin_does_nothing(token, origin):
    response = sign_out(token, origin=origin)

    assert response.status_code == 403
    assert still_signed_in(token)
    assert "set-cookie" not in response.headers


def test_a_post_from_the_portals_own_page_ends_the_session_and_clears_the_cookie(token):
    response = sign_out(token, origin="http://portal.test")

    assert response.status_code == 204
    assert not still_signed_in(token)
    cleared = response.headers["set-cookie"]
    assert cleared.startswith(f'{routes.SESSION_COOKIE}="";') or cleared.startswith(
        f"{routes.SESSION_COOKIE}=;"
    )
    assert "Max-Age=0" in cleared


def test_the_log_out_button_posts_to_the_sign_out_route(token):
    state = Browser(cookie=f"{routes.SESSION_COOKIE}={token}").state(SessionState, routes.APPOINTMENTS)

    script = script_of(run(state, "sign_out"))

    assert not still_signed_in(token)
    assert f"{routes.API_SIGN_OUT}\", {{method: 'POST', credentials: 'include'}}" in script
    assert f'window.location.assign("{routes.LOGIN}?signed_out=1")' in script


def test_the_cleared_cookie_keeps_the_session_cookie_s_flags_and_is_secure_behind_https(token, monkeypatch):
    # Behind a proxy that ends TLS the app sees plain http; the public URL says browsers use https.
    monkeypatch.setenv("PORTAL_PUBLIC_URL", "https://portal.example.org")

    cleared = sign_out(token, origin="https://portal.example.org").headers["set-cookie"]

    assert "HttpOnly" in cleared
    assert "SameSite=lax" in cleared
    assert "Secure" in cleared
