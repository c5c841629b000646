"""Pieces shared by the sign-in's second step and the security page: setting an app up, and the
recovery codes shown once."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

MUTED = rx.color("gray", 11)


def app_setup(qr_image: Var, secret_text: Var) -> rx.Component:
    """The QR code to scan and the same secret as text, for an app that cannot scan."""
    return rx.vstack(
        rx.text(
            "1. Open an authenticator app on your phone (for example Google Authenticator, "
            "Microsoft Authenticator or 1Password) and scan this code:",
            size="2",
        ),
        rx.center(
            rx.image(
                src=qr_image,
                alt="QR code to add this portal to your authenticator app",
                width="200px",
                height="200px",
                style={"image_rendering": "pixelated"},
            ),
            width="100%",
        ),
        rx.text("Can't scan it? Type this key into the app instead:", size="2"),
        rx.code(
            secret_text,
            size="3",
            aria_label="Setup key",
            data_testid="setup-key",
            style={"word_break": "break-all", "letter_spacing": "0.05em"},
        ),
        rx.text("2. Type the 6-digit code the app now shows.", size="2"),
        spacing="3",
        width="100%",
    )


def code_field(label: str, *, autofocus: bool = True, digits_only: bool = False) -> rx.Component:
    """The one field where a code is typed (the OS may fill it; ``digits_only``: a digit keypad)."""
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for="code"),
        rx.input(
            id="code",
            name="code",
            size="3",
            width="100%",
            auto_complete="one-time-code",
            auto_focus=autofocus,
            spell_check=False,
            auto_capitalize="none",
            max_length=40,
            **({"input_mode": "numeric"} if digits_only else {}),
        ),
        spacing="1",
        width="100%",
    )


def recovery_code_list(codes: Var) -> rx.Component:
    """The new recovery codes, shown once, with what they are for."""
    return rx.vstack(
        rx.callout(
            "Save these recovery codes somewhere safe (a password manager, or printed). Each one "
            "signs you in once if you lose your phone. They will not be shown again.",
            icon="key-round",
            color_scheme="amber",
            width="100%",
        ),
        rx.grid(
            rx.foreach(codes, lambda code: rx.code(code, size="3", variant="soft")),
            columns="2",
            spacing="2",
            width="100%",
            role="group",
            aria_label="Recovery codes",
        ),
        spacing="3",
        width="100%",
    )
