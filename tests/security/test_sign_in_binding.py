"""A sign-in code works only in the browser that asked for it."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from portal_app import database, routes
from portal_app.http_security import BrowserBinding
from portal_app.services import auth
from portal_app.state.login import RELOAD, LoginState
from tests.security.conftest import CLIENT_EMAILS, PASSWORD, http, script_of
from tests.state.conftest import Browser, sent

ALICES_BROWSER = f"{routes.BROWSER_COOKIE}=alices-browser-secret"
MALLORYS_BROWSER = f"{routes.BROWSER_COOKIE}=mallorys-browser-secret"


def sign_in_through_the_form(cookie: str, email: str = CLIENT_EMAILS[0]) -> tuple[LoginState, str | None]:
    """Submit the sign-in form from a tab holding ``cookie``; returns the state and the code URL."""
    state = Browser(cookie=cookie).state(LoginState, routes.LOGIN)

    scripts = [script_of(event) for event in sent(state, "submit", {"email": email, "password": PASSWORD})]
    urls = [re.search(r'assign\("([^"]+)"\)', script).group(1) for script in scripts]
    return state, (urlsplit(urls[0])._replace(scheme="", netloc="").geturl() if urls else None)


def redeem(code_url: str, cookie: str):
    return http("GET", code_url, cookies=cookie)


def signed_in(response) -> bool:
    token = response.cookies.get(routes.SESSION_COOKIE)
    with database.open_session() as session:
        return auth.viewer_for_token(session=session, token=token, now=datetime.now(UTC)) is not None


def test_the_browser_that_signed_in_gets_its_session(file_app_db):
    _, code_url = sign_in_through_the_form(ALICES_BROWSER)

    response = redeem(code_url, ALICES_BROWSER)

    assert response.status_code == 303
    assert signed_in(response)


@pytest.mark.parametrize(
    "other_browser", [MALLORYS_BROWSER, ""], ids=["another browser", "no browser cookie"]
)
def test_a_code_redeemed_in_another_browser_is_refused_and_stays_unused(file_app_db, other_browser):
    _, code_url = sign_in_through_the_form(ALICES_BROWSER)

    stolen = redeem(code_url, other_browser)

    assert stolen.status_code == 303
    assert stolen.headers["location"].endswith(f"{routes.LOGIN}?expired=1")
    assert not signed_in(stolen)
    # A browser that had no secret gets one, so its own next sign-in can work.
    assert (routes.BROWSER_COOKIE in stolen.cookies) == (other_browser == "")
    # The refusal did not use the code up: its own browser still signs in with it.
    assert signed_in(redeem(code_url, ALICES_BROWSER))


def test_a_code_pushed_into_someone_elses_browser_does_not_sign_them_in(file_app_db):
    # Login fixation: Mallory signs in to her own account and sends Alice the code's link.
    _, mallorys_code_url = sign_in_through_the_form(MALLORYS_BROWSER, CLIENT_EMAILS[1])

    assert not signed_in(redeem(mallorys_code_url, ALICES_BROWSER))


def test_without_a_browser_secret_the_form_asks_to_reload_and_issues_no_code(file_app_db):
    state, code_url = sign_in_through_the_form("")

    assert code_url is None
    assert state.error == RELOAD


def test_codes_are_only_issued_bound_to_a_browser(file_app_db):
    with database.open_session(for_writing=True) as session, pytest.raises(ValueError, match="bound"):
        auth.sign_in(
            session=session,
            email=CLIENT_EMAILS[0],
            password=PASSWORD,
            client_ip="10.0.0.1",
            browser_nonce="",
            now=datetime.now(UTC),
        )


def _handshake(cookie_header: bytes | None, scheme: str = "ws") -> tuple[dict, list]:
    """Run a websocket handshake through ``BrowserBinding``; returns the scope the app saw and
    the messages sent back to the browser."""
    seen, sent = {}, []

    async def app(scope, receive, send):
        seen.update(scope)
        await send({"type": "websocket.accept", "headers": [(b"sec-websocket-protocol", b"x")]})

    async def send(message):
        sent.append(message)

    headers = [(b"host", b"portal.test")] + ([(b"cookie", cookie_header)] if cookie_header else [])
    scope = {"type": "websocket", "scheme": scheme, "path": "/_event/", "headers": headers}
    asyncio.run(BrowserBinding(app)(scope, None, send))
    return seen, sent


def _cookie(scope: dict) -> str:
    return "; ".join(value.decode() for name, value in scope["headers"] if name == b"cookie")


def test_a_browser_without_a_secret_gets_one_on_its_websocket_handshake():
    seen, sent = _handshake(b"theme=dark")

    nonce = parse_qs(_cookie(seen).replace("; ", "&"))[routes.BROWSER_COOKIE][0]
    assert len(nonce) >= 40
    assert _cookie(seen).startswith("theme=dark; ")
    (set_cookie,) = [value.decode() for name, value in sent[0]["headers"] if name == b"set-cookie"]
    assert set_cookie == f"{routes.BROWSER_COOKIE}={nonce}; Path=/; HttpOnly; SameSite=Strict"
    assert (b"sec-websocket-protocol", b"x") in sent[0]["headers"]


def test_a_browser_with_a_secret_keeps_it():
    seen, sent = _handshake(ALICES_BROWSER.encode())

    assert _cookie(seen) == ALICES_BROWSER
    assert "headers" not in sent[0] or all(name != b"set-cookie" for name, _ in sent[0]["headers"])


def test_the_secret_is_secure_when_the_public_url_is_https(monkeypatch):
    monkeypatch.setenv("PORTAL_PUBLIC_URL", "https://portal.example.org")

    _, sent = _handshake(None)

    (set_cookie,) = [value.decode() for name, value in sent[0]["headers"] if name == b"set-cookie"]
    assert set_cookie.endswith("; HttpOnly; SameSite=Strict; Secure")


def _page_response(cookie_header: bytes | None, content_type: bytes) -> list[str]:
    """The Set-Cookie headers ``BrowserBinding`` adds to one HTTP response."""
    sent = []

    async def app(scope, receive, send):
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]}
        )

    async def send(message):
        sent.append(message)

    headers = [(b"cookie", cookie_header)] if cookie_header else []
    scope = {"type": "http", "scheme": "http", "path": "/login/", "headers": headers}
    asyncio.run(BrowserBinding(app)(scope, None, send))
    return [value.decode() for name, value in sent[0]["headers"] if name == b"set-cookie"]


def test_a_page_gives_a_browser_without_a_secret_one_before_its_websocket_connects():
    (set_cookie,) = _page_response(None, b"text/html; charset=utf-8")

    assert re.fullmatch(
        rf"{routes.BROWSER_COOKIE}=[\w-]{{43}}; Path=/; HttpOnly; SameSite=Strict", set_cookie
    )
    assert _page_response(ALICES_BROWSER.encode(), b"text/html; charset=utf-8") == []
    assert _page_response(None, b"application/json") == []
