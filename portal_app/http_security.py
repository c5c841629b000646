"""ASGI wrappers around everything the server answers (pages, API routes, Reflex's endpoints):
security headers on every response, and each browser's websocket bound to a secret of its own.

Settings: ``PORTAL_PUBLIC_URL`` is the address people open (``https://portal.example.org``);
when it is https every cookie is marked Secure, also behind a proxy that ends TLS.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import time
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

import reflex as rx
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_app import routes


def public_url() -> str:
    """The address people open the portal at (``PORTAL_PUBLIC_URL``), or "" when not set."""
    return os.environ.get("PORTAL_PUBLIC_URL", "").strip().rstrip("/")


def portal_address() -> str:
    """The address links in emails start with: ``PORTAL_PUBLIC_URL``, else Reflex's deploy URL."""
    return public_url() or (rx.config.get_config().deploy_url or "http://localhost:3000").rstrip("/")


def cookies_secure(scheme: str) -> bool:
    """Whether cookies get the Secure flag: the request came over TLS or the public URL is https.

    Behind a proxy that ends TLS the app itself sees plain http; the public URL says what
    browsers use.
    """
    return scheme in ("https", "wss") or public_url().startswith("https://")


def new_browser_cookie(scheme: str) -> str:
    """A ``Set-Cookie`` value giving a browser a new random binding secret.

    HttpOnly (page scripts never see it) and SameSite=Strict (other sites' requests never carry
    it). No Max-Age: it ends with the browser session; a code lives a minute anyway.
    """
    cookie = f"{routes.BROWSER_COOKIE}={secrets.token_urlsafe(32)}; Path=/; HttpOnly; SameSite=Strict"
    return cookie + "; Secure" if cookies_secure(scheme) else cookie


class BrowserBinding:
    """ASGI wrapper: gives each browser its binding secret before its websocket reaches the app.

    A sign-in code is issued over the websocket and redeemed by a plain HTTP request, and it
    must only work in the browser that asked for it. So each browser holds a random secret in
    a cookie (``routes.BROWSER_COOKIE``); the sign-in form's state reads it from the
    websocket's handshake headers and binds the code to it, and ``/api/auth/complete``
    compares it. For the secret to be in the handshake, a browser without one gets one:

    - with every page this server sends (production serves the pages itself, so the
      websocket that follows carries it);
    - on a websocket handshake: added to the handshake's headers for the app, and set by the
      handshake's response (uvicorn sends that header, granian drops it; that only matters
      when the pages come from another server, as in development);
    - and from ``/api/auth/complete`` when it refuses a code for want of one, so the next
      sign-in works wherever the two above could not set it.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or _has_cookie(scope, routes.BROWSER_COOKIE):
            await self.app(scope, receive, send)
            return
        set_cookie = new_browser_cookie(scope.get("scheme", "http"))

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "websocket.accept":
                headers = [*message.get("headers", []), (b"set-cookie", set_cookie.encode())]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                if headers.get("content-type", "").startswith("text/html"):
                    headers.append("set-cookie", set_cookie)
                    message = {**message, "headers": headers.raw}
            await send(message)

        if scope["type"] == "websocket":
            pair = set_cookie.split(";", 1)[0]
            others = [value.decode("latin-1") for name, value in scope["headers"] if name == b"cookie"]
            headers = [(name, value) for name, value in scope["headers"] if name != b"cookie"]
            cookie_header = "; ".join([*others, pair]).encode("latin-1")
            scope = {**scope, "headers": [*headers, (b"cookie", cookie_header)]}
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


# Everything but pages: nothing to run, nothing to load, never framed.
_NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def page_policy(script_hashes: frozenset[str], api_url: str = "") -> str:
    """The Content-Security-Policy of the portal's pages.

    Scripts only from this origin, plus the inline bootstrap scripts of the built pages, named
    by their hashes. ``'unsafe-eval'`` because Reflex runs ``rx.call_script`` code with
    ``eval`` (the browser's zone, the sign-in and sign-out hand-offs). Styles may be inline:
    Radix and Emotion write them at run time. The websocket goes to this origin, or to the
    configured API URL when that is another one.
    """
    connect = ["'self'"]
    api = urlsplit(api_url)
    if api.scheme in ("http", "https") and api.netloc:
        socket_scheme = "wss" if api.scheme == "https" else "ws"
        connect += [f"{api.scheme}://{api.netloc}", f"{socket_scheme}://{api.netloc}"]
    scripts = ["'self'", "'unsafe-eval'", *sorted(f"'sha256-{digest}'" for digest in script_hashes)]
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {' '.join(scripts)}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src {' '.join(connect)}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def inline_script_hashes(pages_dir: Path) -> frozenset[str]:
    """The base64 SHA-256 of every inline script in the built pages (what CSP hashes name)."""
    hashes = set()
    for page in pages_dir.rglob("*.html"):
        for attributes, body in _INLINE_SCRIPT.findall(page.read_bytes()):
            if b"src=" not in attributes:
                hashes.add(base64.b64encode(hashlib.sha256(body).digest()).decode())
    return frozenset(hashes)


def _built_pages_dir() -> Path:
    # Where ``reflex export`` / ``reflex run --env prod`` put the pages this server hands out.
    from reflex.utils.prerequisites import get_web_dir
    from reflex_base.constants import Dirs

    frontend_path = rx.config.get_config().frontend_path.strip("/")
    return (get_web_dir() / Dirs.STATIC / frontend_path).resolve()


class SecurityHeaders:
    """ASGI wrapper: security headers on every HTTP response, pages and API routes alike.

    Pages get ``page_policy``; everything else a policy that allows nothing. All get
    frame-ancestors 'none' and X-Frame-Options DENY (no clickjacking), nosniff, and a
    same-origin Referrer-Policy (a sign-in code in a URL never leaves the portal; same-origin
    POSTs still carry Origin, which sign-out checks). Set only where a route did not set its own.
    """

    # A rebuild while the server runs changes the inline scripts; look again at most this often.
    RESCAN_SECONDS = 5.0

    def __init__(self, app: ASGIApp, pages_dir: Path | None = None):
        self.app = app
        self._pages_dir = pages_dir
        self._hashes: frozenset[str] = frozenset()
        self._scanned_at: float | None = None

    def _page_policy(self) -> str:
        now = time.monotonic()
        if self._scanned_at is None or now - self._scanned_at > self.RESCAN_SECONDS:
            pages_dir = self._pages_dir or _built_pages_dir()
            self._hashes = inline_script_hashes(pages_dir) if pages_dir.is_dir() else frozenset()
            self._scanned_at = now
        return page_policy(self._hashes, rx.config.get_config().api_url or "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                is_page = headers.get("content-type", "").startswith("text/html")
                for name, value in (
                    ("content-security-policy", self._page_policy() if is_page else _NON_PAGE_POLICY),
                    ("x-frame-options", "DENY"),
                    ("x-content-type-options", "nosniff"),
                    ("referrer-policy", "same-origin"),
                ):
                    headers.setdefault(name, value)
                message = {**message, "headers": headers.raw}
            await send(message)

        await self.app(scope, receive, send_with_headers)
