"""The frame around every signed-in page: header, navigation for the role, and body."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.focus import FOCUS_MAIN


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation."""

    label: str
    href: str
    icon: str


CLIENT_NAV = (
    NavItem("Appointments", routes.APPOINTMENTS, "calendar-check"),
    NavItem("Calendar", routes.CALENDAR, "calendar-days"),
)
STAFF_NAV = (
    NavItem("Dashboard", routes.DASHBOARD, "layout-dashboard"),
    NavItem("Clients", routes.CLIENTS, "users"),
    NavItem("Availability", routes.AVAILABILITY, "clock"),
    NavItem("Settings", routes.SETTINGS, "settings"),
)
ADMIN_NAV = (
    *STAFF_NAV,
    NavItem("Team", routes.TEAM, "users"),
    NavItem("Email outbox", routes.OUTBOX, "mail"),
)


MAIN_ID = "main"
STICKY_MIN_HEIGHT = "560px"


def skip_link() -> rx.Component:
    """The first stop of the Tab key: straight to the page's content, past the header."""
    return rx.el.a(
        "Skip to main content",
        href=f"#{MAIN_ID}",
        class_name="skip-link",
        # Following the fragment scrolls but does not always move focus: the next Tab would
        # start from the top again. Focus goes to the content itself.
        on_click=FOCUS_MAIN,
    )


def brand(practice_name: Var | str) -> rx.Component:
    """The practice's mark and name."""
    return rx.hstack(
        rx.center(
            rx.icon("heart-handshake", size=20, color="white"),
            background=rx.color("teal", 9),
            border_radius="10px",
            width="36px",
            height="36px",
            flex_shrink="0",
        ),
        rx.text(practice_name, weight="bold", size="4", color=rx.color("gray", 12), white_space="nowrap"),
        align="center",
        spacing="3",
    )


def _nav_link(item: NavItem, current_path: Var) -> rx.Component:
    active = current_path == item.href
    return rx.link(
        rx.hstack(
            # Icons only where the width allows: the admin's six links stay on one line at 1280 px.
            rx.icon(item.icon, size=16, display=rx.breakpoints(initial="none", xl="block")),
            rx.text(item.label, white_space="nowrap"),
            align="center",
            spacing="2",
        ),
        href=item.href,
        underline="none",
        padding_x="12px",
        padding_y="8px",
        border_radius="8px",
        weight="medium",
        size="2",
        color=rx.cond(active, rx.color("teal", 11), rx.color("gray", 11)),
        background=rx.cond(active, rx.color("teal", 3), "transparent"),
        _hover={"background": rx.color("gray", 3)},
        aria_current=rx.cond(active, "page", "false"),
    )


def _nav_links(role: Var, current_path: Var) -> rx.Component:
    def links(items: tuple[NavItem, ...]) -> rx.Component:
        return rx.el.nav(
            rx.hstack(*[_nav_link(item, current_path) for item in items], spacing="1"),
            aria_label="Main",
        )

    return rx.match(
        role,
        ("client", links(CLIENT_NAV)),
        ("clinician", links(STAFF_NAV)),
        ("admin", links(ADMIN_NAV)),
        rx.fragment(),
    )


def _mobile_menu(role: Var, viewer_name: Var, on_sign_out) -> rx.Component:
    def items(nav: tuple[NavItem, ...]) -> rx.Component:
        return rx.fragment(
            *[
                rx.menu.item(rx.icon(item.icon, size=16), item.label, on_click=rx.redirect(item.href))
                for item in nav
            ]
        )

    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(rx.icon("menu"), variant="soft", color_scheme="gray", aria_label="Menu")
        ),
        rx.menu.content(
            rx.menu.item(rx.icon("circle-user", size=16), "Signed in as ", viewer_name, disabled=True),
            rx.menu.separator(),
            rx.match(
                role,
                ("client", items(CLIENT_NAV)),
                ("clinician", items(STAFF_NAV)),
                ("admin", items(ADMIN_NAV)),
                rx.fragment(),
            ),
            rx.menu.separator(),
            rx.menu.item(
                rx.icon("shield-check", size=16), "Sign-in security", on_click=rx.redirect(routes.SECURITY)
            ),
            rx.menu.item(rx.icon("log-out", size=16), "Log out", on_click=on_sign_out),
        ),
    )


def _account(viewer_name: Var, on_sign_out) -> rx.Component:
    # Who is signed in opens their own Sign-in security page (no extra width in a full header).
    return rx.hstack(
        rx.avatar(
            fallback=viewer_name.to(str)[0:1],
            size="2",
            radius="full",
            color_scheme="teal",
            aria_hidden="true",
        ),
        # Its name starts with what it shows (the person's name), then says where it goes.
        rx.link(
            rx.text(
                viewer_name, size="2", weight="medium", white_space="nowrap", data_testid="signed-in-name"
            ),
            rx.el.span(", sign-in security", class_name="visually-hidden"),
            href=routes.SECURITY,
            title="Sign-in security",
            underline="hover",
            color=rx.color("gray", 12),
        ),
        rx.button(
            rx.icon("log-out", size=16),
            "Log out",
            variant="soft",
            color_scheme="gray",
            on_click=on_sign_out,
        ),
        align="center",
        spacing="2",
    )


def app_shell(
    body: rx.Component,
    *,
    title: str,
    practice_name: Var,
    viewer_name: Var,
    role: Var,
    page_allowed: Var,
    current_path: Var,
    on_sign_out,
    overlay: rx.Component | None = None,
) -> rx.Component:
    """A signed-in page: header with navigation for the role, then the page's body.

    Until the server has confirmed who is signed in, the body shows a loading state, so a
    protected page never flashes its content to someone it will turn away.
    """
    header = rx.el.header(
        rx.hstack(
            rx.hstack(
                brand(practice_name),
                rx.desktop_only(rx.box(_nav_links(role, current_path), padding_left="24px")),
                align="center",
            ),
            rx.desktop_only(_account(viewer_name, on_sign_out)),
            # On a phone the practice's name needs the width: who is signed in is said in the menu.
            rx.mobile_and_tablet(_mobile_menu(role, viewer_name, on_sign_out)),
            justify="between",
            align="center",
            max_width="1180px",
            margin_x="auto",
            padding_x="20px",
            height="64px",
        ),
        style={
            "background": rx.color("gray", 1),
            "border_bottom": f"1px solid {rx.color('gray', 5)}",
            # Sticky only where there is height to spare: zoomed to 400% (a 215-px-high window)
            # a sticky header would hide a third of every page under it.
            f"@media (min-height: {STICKY_MIN_HEIGHT})": {"position": "sticky", "top": "0", "z_index": "10"},
        },
    )
    main = rx.el.main(
        rx.cond(
            page_allowed,
            rx.vstack(
                rx.heading(title, size="7", weight="bold", as_="h1"),
                body,
                spacing="5",
                width="100%",
            ),
            rx.center(rx.spinner(size="3"), aria_label="Loading", padding_y="96px"),
        ),
        id=MAIN_ID,
        tab_index=-1,
        style={"max_width": "1180px", "margin": "0 auto", "padding": "32px 20px", "outline": "none"},
    )
    return rx.box(
        skip_link(),
        header,
        main,
        *([overlay] if overlay is not None else []),
        min_height="100vh",
        background=rx.color("gray", 2),
    )
