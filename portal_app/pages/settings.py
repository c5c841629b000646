"""Settings: the practice's rules, its services and locations, and clinicians' profiles."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.appointment_card import empty_state, loading_list
from portal_app.components.focus import returns_focus
from portal_app.components.setting_fields import (
    area_field,
    choice_field,
    history_card,
    notice,
    switch_field,
    text_field,
)
from portal_app.domain.time_display import zone_choices
from portal_app.pages.template import portal_page
from portal_app.state.catalog_settings import CatalogSettingsState as Catalog
from portal_app.state.profiles import ProfilesState as Profiles
from portal_app.state.settings import SettingsState as Settings

MUTED = rx.color("gray", 11)


def _section(title: str, *fields: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="3", as_="h2"),
        rx.grid(*fields, columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
        spacing="3",
        width="100%",
    )


def _practice_form() -> rx.Component:
    values, errors = Settings.practice, Settings.errors
    return rx.form(
        rx.vstack(
            _section(
                "Time zone and phone",
                choice_field(
                    "Time zone",
                    "time_zone",
                    values.time_zone,
                    errors,
                    zone_choices(),
                    hint="Availability is set in this zone; type a city's name to find it.",
                ),
                text_field(
                    "Phone shown when clients must call",
                    "phone",
                    values.phone,
                    errors,
                    placeholder="(617) 555-0148",
                ),
            ),
            rx.separator(size="4"),
            _section(
                "Booking rules",
                text_field(
                    "Minimum notice",
                    "minimum_notice_hours",
                    values.minimum_notice_hours,
                    errors,
                    unit="hours",
                    numeric=True,
                    width="120px",
                ),
                text_field(
                    "Booking horizon",
                    "booking_horizon_days",
                    values.booking_horizon_days,
                    errors,
                    unit="days ahead",
                    numeric=True,
                    width="120px",
                ),
                text_field(
                    "Slot increment",
                    "slot_increment_minutes",
                    values.slot_increment_minutes,
                    errors,
                    unit="minutes",
                    numeric=True,
                    width="120px",
                    hint="Sessions start every 5, 10, 15, 20, 30 or 60 minutes.",
                ),
                text_field(
                    "Buffer between sessions",
                    "buffer_minutes",
                    values.buffer_minutes,
                    errors,
                    unit="minutes",
                    numeric=True,
                    width="120px",
                ),
                switch_field(
                    "New clients may request",
                    "new_client_requests",
                    values.new_client_requests,
                    errors,
                    hint="People without an account may ask for a first appointment.",
                ),
                switch_field(
                    "Card required for new clients",
                    "card_required_for_new_clients",
                    values.card_required_for_new_clients,
                    errors,
                ),
            ),
            rx.separator(size="4"),
            _section(
                "Cancellation and reminders",
                switch_field(
                    "Clients may cancel online",
                    "online_cancellation",
                    values.online_cancellation,
                    errors,
                    hint="Otherwise clients are asked to call the practice.",
                ),
                text_field(
                    "Cancellation window",
                    "cancellation_window_hours",
                    values.cancellation_window_hours,
                    errors,
                    unit="hours before the start",
                    numeric=True,
                    width="120px",
                ),
                text_field(
                    "Unanswered requests expire",
                    "request_expiry_hours",
                    values.request_expiry_hours,
                    errors,
                    unit="hours after they are made",
                    numeric=True,
                    width="120px",
                    hint="Or when their time comes, if sooner; the time is freed and the client told.",
                ),
                text_field(
                    "Reminder email",
                    "reminder_hours_before",
                    values.reminder_hours_before,
                    errors,
                    unit="hours before",
                    numeric=True,
                    width="120px",
                    hint="0 sends no reminder.",
                ),
            ),
            rx.separator(size="4"),
            _section(
                "Telehealth",
                switch_field("Telehealth", "telehealth_enabled", values.telehealth_enabled, errors),
                text_field(
                    "Join Video opens",
                    "video_join_minutes_before",
                    values.video_join_minutes_before,
                    errors,
                    unit="minutes before the start",
                    numeric=True,
                    width="120px",
                ),
            ),
            rx.separator(size="4"),
            _section(
                "Sign-in security",
                switch_field(
                    "Two-factor sign-in required for staff",
                    "staff_two_factor_required",
                    values.staff_two_factor_required,
                    errors,
                    hint="Therapists and admins set up an authenticator app at their next sign-in.",
                ),
                text_field(
                    "Staff signed out after",
                    "staff_idle_minutes",
                    values.staff_idle_minutes,
                    errors,
                    unit="minutes without activity",
                    numeric=True,
                    width="120px",
                    hint="From 5 to 720. A warning comes two minutes before.",
                ),
            ),
            notice(Settings.notice, Settings.notice_ok),
            rx.flex(rx.button("Save settings", type="submit", size="3"), justify="end", width="100%"),
            spacing="5",
            width="100%",
        ),
        key=Settings.form_version,
        on_submit=Settings.save_practice,
        aria_label="Practice settings",
        width="100%",
    )


def _practice_summary() -> rx.Component:
    return rx.vstack(
        rx.text("Only a practice admin can change these.", size="2", color=MUTED),
        rx.data_list.root(
            rx.foreach(
                Settings.summary,
                lambda line: rx.data_list.item(
                    rx.data_list.label(line.label, min_width="220px"),
                    rx.data_list.value(line.value),
                ),
            ),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            size="2",
        ),
        spacing="4",
        width="100%",
    )


def _practice_tab() -> rx.Component:
    return rx.vstack(
        rx.card(rx.cond(Settings.is_admin, _practice_form(), _practice_summary()), width="100%"),
        history_card("Recent changes", Settings.history),
        spacing="4",
        width="100%",
    )


def _status_badge(active: Var) -> rx.Component:
    return rx.cond(
        active,
        rx.badge("Active", color_scheme="green", variant="soft", radius="full"),
        rx.badge("Retired", color_scheme="gray", variant="soft", radius="full"),
    )


def _entry_actions(kind: str, row: Var) -> rx.Component:
    noun = kind.capitalize()
    return rx.cond(
        Catalog.is_admin,
        rx.hstack(
            rx.button(
                "Edit",
                variant="soft",
                size="2",
                on_click=Catalog.open_edit(kind, row.id),
                aria_label=f"Edit {kind} " + row.name,
            ),
            rx.cond(
                row.active,
                rx.button(
                    "Retire",
                    variant="soft",
                    color_scheme="gray",
                    size="2",
                    on_click=Catalog.ask_retire(kind, row.id),
                    aria_label=f"Retire {kind} " + row.name,
                ),
                rx.button(
                    "Restore",
                    variant="soft",
                    color_scheme="green",
                    size="2",
                    on_click=Catalog.restore(kind, row.id),
                    aria_label=f"Restore {noun.lower()} " + row.name,
                ),
            ),
            spacing="2",
        ),
    )


def _entry_card(kind: str, noun: str, row: Var, *details: rx.Component) -> rx.Component:
    """A service or location: its name and status, ``details`` below, its actions beside."""
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.text(row.name, weight="bold", size="3"), _status_badge(row.active), align="center"
                ),
                *details,
                spacing="1",
                flex="1",
                min_width="220px",
            ),
            _entry_actions(kind, row),
            justify="between",
            align="center",
            wrap="wrap",
            gap="12px",
        ),
        width="100%",
        role="group",
        aria_label=f"{noun} " + row.name,
    )


def _service_card(row: Var) -> rx.Component:
    return _entry_card(
        "service",
        "Service",
        row,
        rx.text(row.lengths, " minutes · ", row.who, size="2", color=MUTED),
        rx.cond(row.description != "", rx.text(row.description, size="2")),
    )


def _location_card(row: Var) -> rx.Component:
    return _entry_card(
        "location",
        "Location",
        row,
        rx.text(rx.cond(row.address != "", row.address, "No address"), size="2", color=MUTED),
    )


def _catalog_tab(kind: str, rows: Var, card, history: Var, intro: str) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text(intro, size="2", color=MUTED, flex="1", min_width="240px"),
            rx.cond(
                Catalog.is_admin,
                rx.button(rx.icon("plus", size=16), f"Add {kind}", on_click=Catalog.open_new(kind)),
            ),
            justify="between",
            align="center",
            wrap="wrap",
            gap="12px",
            width="100%",
        ),
        notice(Catalog.notice, Catalog.notice_ok),
        rx.cond(
            rows.length() > 0,
            rx.vstack(rx.foreach(rows, card), spacing="3", width="100%"),
            empty_state("list", f"No {kind}s yet", f"Add a {kind} to offer it to clients."),
        ),
        history_card("Recent changes", history),
        spacing="4",
        width="100%",
    )


def _entry_dialog() -> rx.Component:
    entry, errors = Catalog.editing, Catalog.errors
    is_service = Catalog.editing_kind == "service"
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.cond(entry.id == 0, "Add ", "Edit "), rx.cond(is_service, "service", "location")
            ),
            rx.form(
                rx.vstack(
                    text_field("Name", "name", entry.name, errors),
                    rx.cond(
                        is_service,
                        rx.vstack(
                            text_field(
                                "Lengths",
                                "durations_minutes",
                                entry.lengths,
                                errors,
                                unit="minutes",
                                hint="One or more, e.g. 50, 80; the first is the default.",
                            ),
                            area_field("Description", "description", entry.description, errors),
                            switch_field(
                                "New clients may book it",
                                "new_clients_allowed",
                                entry.new_clients_allowed,
                                errors,
                            ),
                            switch_field(
                                "Existing clients may book it",
                                "existing_clients_allowed",
                                entry.existing_clients_allowed,
                                errors,
                            ),
                            switch_field(
                                "Telehealth allowed", "telehealth_allowed", entry.telehealth_allowed, errors
                            ),
                            spacing="3",
                            width="100%",
                        ),
                        area_field("Address", "address", entry.address, errors),
                    ),
                    rx.text(
                        "Clients are offered a service only where an availability block allows it.",
                        size="1",
                        color=MUTED,
                    ),
                    rx.flex(
                        rx.dialog.close(
                            rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button("Save", type="submit"),
                        justify="end",
                        gap="12px",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                key=Catalog.editing_kind + entry.id.to_string(),
                on_submit=Catalog.save_entry,
                width="100%",
            ),
            max_width="560px",
            **returns_focus(),
        ),
        open=Catalog.editing_kind != "",
        on_open_change=Catalog.set_editor_open,
    )


def _retire_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Retire " + Catalog.retiring.name + "?"),
            rx.alert_dialog.description(
                "Clients will no longer be offered it. Past and booked appointments keep it, "
                "and you can restore it later.",
                size="2",
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button("Retire " + Catalog.retiring.name, color_scheme="red", on_click=Catalog.retire)
                ),
                justify="end",
                gap="12px",
                margin_top="16px",
                wrap="wrap",
            ),
            max_width="480px",
            **returns_focus(),
        ),
        open=Catalog.retiring_kind != "",
        on_open_change=Catalog.set_confirm_open,
    )


def _profile_card(row: Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.text(
                        row.display_name,
                        rx.cond(row.credentials != "", ", " + row.credentials, ""),
                        weight="bold",
                        size="3",
                    ),
                    rx.cond(
                        row.self_scheduling,
                        rx.badge("Clients can self-schedule", color_scheme="green", variant="soft"),
                        rx.badge("Self-scheduling off", color_scheme="gray", variant="soft"),
                    ),
                    spacing="1",
                ),
                rx.button(
                    "Edit profile",
                    variant="soft",
                    on_click=Profiles.open_edit(row.id),
                    aria_label="Edit profile of " + row.display_name,
                ),
                justify="between",
                align="start",
                wrap="wrap",
                gap="12px",
                width="100%",
            ),
            rx.data_list.root(
                rx.data_list.item(
                    rx.data_list.label("Direct booking link"),
                    rx.data_list.value(
                        rx.flex(
                            rx.code(row.booking_link, variant="ghost", word_break="break-all"),
                            rx.button(
                                rx.cond(
                                    Profiles.copied == row.id,
                                    rx.icon("check", size=14),
                                    rx.icon("copy", size=14),
                                ),
                                rx.cond(Profiles.copied == row.id, "Copied", "Copy"),
                                size="1",
                                variant="soft",
                                on_click=[rx.set_clipboard(row.booking_link), Profiles.mark_copied(row.id)],
                                aria_label=rx.cond(
                                    Profiles.copied == row.id,
                                    "Copied the booking link of " + row.display_name,
                                    "Copy the booking link of " + row.display_name,
                                ),
                            ),
                            align="center",
                            gap="8px",
                            wrap="wrap",
                        )
                    ),
                ),
                rx.data_list.item(
                    rx.data_list.label("Video link"),
                    rx.data_list.value(rx.cond(row.video_link != "", row.video_link, "Not set")),
                ),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                size="2",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        role="group",
        aria_label="Profile of " + row.display_name,
    )


def _profile_dialog() -> rx.Component:
    profile, errors = Profiles.editing, Profiles.errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Edit profile of ", profile.display_name),
            rx.form(
                rx.vstack(
                    text_field("Display name", "display_name", profile.display_name, errors),
                    text_field(
                        "Credentials",
                        "credentials",
                        profile.credentials,
                        errors,
                        hint="e.g. PsyD, LCSW, LMFT",
                    ),
                    switch_field(
                        "Clients can self-schedule",
                        "self_scheduling",
                        profile.self_scheduling,
                        errors,
                        hint="Off: hidden from New Appointment, and the direct link explains why.",
                    ),
                    text_field(
                        "Telehealth video link",
                        "video_link",
                        profile.video_link,
                        errors,
                        placeholder="https://",
                        hint="Where Join Video takes clients.",
                    ),
                    rx.flex(
                        rx.dialog.close(
                            rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button("Save", type="submit"),
                        justify="end",
                        gap="12px",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                key=profile.id,
                on_submit=Profiles.save,
                width="100%",
            ),
            max_width="560px",
            **returns_focus(),
        ),
        open=profile.id != 0,
        on_open_change=Profiles.set_editor_open,
    )


def _clinicians_tab() -> rx.Component:
    return rx.vstack(
        notice(Profiles.notice, Profiles.notice_ok),
        rx.cond(
            Profiles.profiles.length() > 0,
            rx.vstack(rx.foreach(Profiles.profiles, _profile_card), spacing="3", width="100%"),
            empty_state("user", "No clinicians yet", "Clinicians appear here once they have joined."),
        ),
        history_card("Recent changes", Profiles.history),
        spacing="4",
        width="100%",
    )


def _tab(value: str, label: str) -> rx.Component:
    return rx.tabs.trigger(label, value=value)


@portal_page(
    route=routes.SETTINGS,
    title="Settings",
    on_load=[Settings.load, Catalog.load, Profiles.load],
)
def settings_page() -> rx.Component:
    """The practice's rules, services, locations and clinicians, edited where the viewer may."""
    return rx.cond(
        Settings.loaded & Catalog.loaded & Profiles.loaded,
        rx.box(
            _entry_dialog(),
            _retire_dialog(),
            _profile_dialog(),
            rx.tabs.root(
                rx.tabs.list(
                    _tab("practice", "Practice"),
                    _tab("services", "Services"),
                    _tab("locations", "Locations"),
                    _tab("clinicians", "Clinicians"),
                    size=rx.breakpoints(initial="1", sm="2"),
                ),
                rx.tabs.content(_practice_tab(), value="practice", padding_top="20px"),
                rx.tabs.content(
                    _catalog_tab(
                        "service",
                        Catalog.services,
                        _service_card,
                        Catalog.service_history,
                        "What clients can book. Retired services stay on past appointments.",
                    ),
                    value="services",
                    padding_top="20px",
                ),
                rx.tabs.content(
                    _catalog_tab(
                        "location",
                        Catalog.locations,
                        _location_card,
                        Catalog.location_history,
                        "Where sessions take place. Retired locations stay on past appointments.",
                    ),
                    value="locations",
                    padding_top="20px",
                ),
                rx.tabs.content(_clinicians_tab(), value="clinicians", padding_top="20px"),
                value=Settings.tab,
                on_change=Settings.set_tab,
                width="100%",
            ),
            width="100%",
            max_width="880px",
        ),
        loading_list(),
    )
