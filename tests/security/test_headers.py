"""Security headers on every response, and the flags of the cookies the portal sets."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from portal_app import database, routes
from portal_app.api import api
from portal_app.http_security import SecurityHeaders
from portal_app.services import auth
from tests.security.conftest import CLIENT_EMAILS, PASSWORD, http

BOOTSTRAP = b'window.__context = {"ssr": false};'
PAGE = (
    b"<!DOCTYPE html><html><head><script>"
    + BOOTSTRAP
    + b'</script><script type="module" src="/a.js"></script>'
)
PAGE += b"</head><body></body></html>"


@pytest.fixture
def portal(tmp_path):
    """The API routes and a built page behind the headers wrapper, as the server stacks them."""
    (tmp_path / "login.html").write_bytes(PAGE)
    site = Starlette(routes=[Mount("/api", api), Mount("/", StaticFiles(directory=tmp_path, html=True))])
    return SecurityHeaders(site, pages_dir=tmp_path)


def directives(response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {part.split(" ", 1)[0]: part.partition(" ")[2] for part in policy.split("; ")}


def assert_common_headers(response) -> None:
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert directives(response)["frame-ancestors"] == "'none'"


def test_a_page_may_run_only_its_own_scripts_and_not_be_framed(portal):
    response = http("GET", "/login.html", app=portal)

    assert response.status_code == 200
    assert_common_headers(response)
    policy = directives(response)
    bootstrap_hash = base64.b64encode(hashlib.sha256(BOOTSTRAP).digest()).decode()
    assert policy["script-src"].split() == ["'self'", "'unsafe-eval'", f"'sha256-{bootstrap_hash}'"]
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api" + routes.API_HEALTH),
        ("POST", "/api" + routes.API_SIGN_OUT),
        ("GET", "/api" + routes.API_SIGN_IN_COMPLETE + "?code=x"),
        ("GET", "/api/appointments/1.ics"),
        ("GET", "/api/clients/1/export.json"),
        ("GET", "/missing.js"),
    ],
)
def test_every_api_route_and_file_gets_the_headers_and_a_policy_that_allows_nothing(
    file_app_db, portal, method, path
):
    response = http(method, path, app=portal)

    assert_common_headers(response)
    assert directives(response)["default-src"] == "'none'"


def _session_cookie_header(monkeypatch, public_url: str | None) -> str:
    if public_url:
        monkeypatch.setenv("PORTAL_PUBLIC_URL", public_url)
    with database.open_session(for_writing=True) as session:
        code = auth.sign_in(
            session=session,
            email=CLIENT_EMAILS[0],
            password=PASSWORD,
            client_ip="10.0.0.1",
            browser_nonce="browser",
            now=datetime.now(UTC),
        ).grant_code
    response = http(
        "GET",
        routes.sign_in_complete_url("", code=code, next_path="/"),
        cookies=f"{routes.BROWSER_COOKIE}=browser",
    )
    return response.headers["set-cookie"]


def test_the_session_cookie_is_http_only_and_same_site(file_app_db, monkeypatch):
    cookie = _session_cookie_header(monkeypatch, None)

    assert cookie.startswith(f"{routes.SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on this machine; browsers would drop it


def test_the_session_cookie_is_secure_when_the_public_url_is_https(file_app_db, monkeypatch):
    cookie = _session_cookie_header(monkeypatch, "https://portal.example.org")

    assert "Secure" in cookie
    assert "HttpOnly" in cookie
