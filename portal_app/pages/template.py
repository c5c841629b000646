"""The ``portal_page`` decorator: registers a signed-in page inside the app shell."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from portal_app.components.idle_watch import idle_warning
from portal_app.components.shell import app_shell
from portal_app.state.session import IDLE_WARNING, SessionState

APP_TITLE = "Client Portal"


def portal_page(
    *, route: str, title: str, on_load: list | None = None
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Register ``route`` as a protected page titled ``title``.

    Who may open it is ``routes.PAGE_ROLES[route]``; ``SessionState.guard_page`` runs first
    on every load and turns anyone else away, then the page's own ``on_load`` handlers run
    (each of which checks access again, since any event can be sent directly).
    """

    def decorator(body: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def page() -> rx.Component:
            return app_shell(
                body(),
                title=title,
                practice_name=SessionState.practice_name,
                viewer_name=SessionState.viewer_name,
                role=SessionState.viewer_role,
                page_allowed=SessionState.page_allowed,
                current_path=SessionState.current_page,
                on_sign_out=SessionState.sign_out,
                overlay=idle_warning(
                    deadline=SessionState.idle_deadline_ms,
                    warn_before_ms=int(IDLE_WARNING.total_seconds() * 1000),
                    is_open=SessionState.idle_warning_open,
                    minutes=SessionState.idle_minutes,
                    on_warn=SessionState.idle_warning_due,
                    on_end=SessionState.idle_end_due,
                    on_stay=SessionState.stay_signed_in,
                    on_sign_out=SessionState.sign_out,
                ),
            )

        rx.page(
            route=route,
            title=f"{title} · {APP_TITLE}",
            on_load=[SessionState.guard_page, *(on_load or [])],
        )(page)
        return page

    return decorator
