"""Settings in the browser: an admin adds a service, fixes a refused value, closes a calendar.

Each flow puts back what it changed in the shared demo practice (other flows rely on its rules
and on Maya Chen taking online requests), through the page itself, so it also runs against a
deployment.
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import logins

ADMIN = logins.ADMIN
ALEX = logins.CLIENT
MAYA = "Dr. Maya Chen"
MAYA_LABEL = "Dr. Maya Chen, PsyD"


def _settings_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name, selected=True)).to_be_visible()


def _open_settings(new_tab, tab_name: str) -> Page:
    page = new_tab().open_as(ADMIN, "/settings")
    _settings_tab(page, tab_name)
    return page


def _save_practice(page: Page, **values: str) -> None:
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save settings").click()


def _provider_options(page: Page) -> None:
    page.get_by_role("button", name="New Appointment").click()
    dialog = page.get_by_role("dialog", name="New Appointment")
    dialog.get_by_role("combobox", name="Provider").click()


@pytest.fixture
def practice_rules_restored(new_tab):
    """Puts the demo's reminder and slot increment back after the test, whatever it did."""
    yield
    page = _open_settings(new_tab, "Practice")
    _save_practice(page, **{"Slot increment": "15", "Reminder email": "24"})
    expect(page.get_by_role("status").filter(has_text=re.compile("Saved|Nothing to change"))).to_be_visible()


@pytest.fixture
def new_service_name(new_tab):
    """A service name no other run used; the service is retired again after the test."""
    name = f"Art Therapy {secrets.token_hex(3)}"
    yield name
    page = _open_settings(new_tab, "Services")
    retire = page.get_by_role("button", name=f"Retire service {name}")
    if retire.count():
        retire.click()
        page.get_by_role("alertdialog", name=f"Retire {name}?").get_by_role(
            "button", name=f"Retire {name}"
        ).click()
        expect(page.get_by_role("status").filter(has_text="Retired")).to_be_visible()


@pytest.fixture
def maya_self_scheduling_restored(new_tab):
    """Turns Maya Chen's self-scheduling back on after the test."""
    yield
    page = _open_settings(new_tab, "Clinicians")
    profile = page.get_by_role("group", name=f"Profile of {MAYA}")
    if profile.get_by_text("Self-scheduling off").count():
        profile.get_by_role("button", name=f"Edit profile of {MAYA}").click()
        dialog = page.get_by_role("dialog", name="Edit profile")
        dialog.get_by_role("switch", name="Clients can self-schedule").click()
        dialog.get_by_role("button", name="Save").click()
        expect(profile.get_by_text("Clients can self-schedule")).to_be_visible()


def test_a_new_service_is_offered_only_where_weekly_hours_allow_it(new_tab, provider, new_service_name):
    admin = _open_settings(new_tab, "Services")
    admin.get_by_role("button", name="Add service").click()
    dialog = admin.get_by_role("dialog", name="Add service")
    dialog.get_by_label("Name", exact=True).fill(new_service_name)
    dialog.get_by_label("Lengths").fill("45, 30")
    dialog.get_by_label("Description").fill("Creative work with a trained art therapist.")
    dialog.get_by_role("button", name="Save").click()

    expect(admin.get_by_role("status").filter(has_text="Added.")).to_be_visible()
    card = admin.get_by_role("group", name=f"Service {new_service_name}")
    expect(card).to_contain_text("30, 45 minutes")
    expect(card).to_contain_text("Active")

    client = new_tab().open_as(ALEX)
    _provider_options(client)
    client.get_by_role("option", name=provider.label).click()
    wizard = client.get_by_role("dialog", name="New Appointment")
    expect(wizard.get_by_role("combobox", name="Location")).to_have_text("Downtown Office")
    wizard.get_by_role("combobox", name="Service").click()
    expect(client.get_by_role("option", name="Individual Therapy")).to_be_visible()
    expect(client.get_by_role("option", name=new_service_name)).to_have_count(0)
    client.keyboard.press("Escape")

    # Saturday hours for Maya Chen that allow the new service: only there is it offered.
    hours = new_tab().open_as(ADMIN, "/availability")
    hours.get_by_role("combobox", name="Clinician").click()
    hours.get_by_role("option", name=MAYA).click()
    expect(hours.get_by_role("combobox", name="Clinician")).to_have_text(MAYA)
    hours.get_by_role("button", name="Add weekly hours").click()
    panel = hours.get_by_role("region", name="Add weekly hours")
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        box = panel.get_by_role("checkbox", name=day, exact=True)
        if (box.get_attribute("data-state") == "checked") != (day == "Sat"):
            box.click()
    panel.get_by_label("Start").fill("15:00")
    panel.get_by_label("End").fill("17:00")
    panel.get_by_role("combobox", name="Location").click()
    hours.get_by_role("option", name="Downtown Office").click()
    panel.get_by_role("checkbox", name=new_service_name).click()
    panel.get_by_role("button", name="Save").click()
    block = hours.get_by_role("group", name=re.compile(r"Weekly hours: Sat, 3:00 PM – 5:00 PM"))
    expect(block).to_contain_text(new_service_name)

    client.reload()
    _provider_options(client)
    client.get_by_role("option", name=MAYA_LABEL).click()
    wizard.get_by_role("radio", name="In-person").click()
    wizard.get_by_role("combobox", name="Service").click()
    expect(client.get_by_role("option", name=new_service_name)).to_be_visible()

    block.get_by_role("button", name="Delete").click()
    hours.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(block).to_have_count(0)


def test_a_refused_value_is_explained_beside_its_field_and_a_good_one_is_saved_and_listed(
    new_tab, practice_rules_restored
):
    page = _open_settings(new_tab, "Practice")
    increment = page.get_by_label("Slot increment", exact=True)
    _save_practice(page, **{"Slot increment": "0", "Reminder email": "48"})

    expect(increment).to_have_attribute("aria-invalid", "true")
    expect(increment).to_have_accessible_description(
        re.compile("Please pick 5, 10, 15, 20, 30 or 60 minutes.")
    )
    # Focus goes to the first field to correct.
    expect(increment).to_be_focused()
    expect(page.get_by_role("alert").filter(has_text="Nothing was saved")).to_be_visible()
    # What was typed is still there to correct.
    expect(page.get_by_label("Reminder email", exact=True)).to_have_value("48")

    page.reload()
    _settings_tab(page, "Practice")
    expect(page.get_by_label("Reminder email", exact=True)).to_have_value("24")
    expect(page.get_by_label("Slot increment", exact=True)).to_have_value("15")

    _save_practice(page, **{"Reminder email": "48"})
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    expect(page.get_by_label("Reminder email", exact=True)).to_have_value("48")
    history = page.get_by_role("heading", name="Recent changes").locator("..")
    expect(history).to_contain_text("Reminder email")
    expect(history).to_contain_text("24 hours before → 48 hours before")
    expect(history).to_contain_text("Morgan Lee")


def test_self_scheduling_off_hides_a_clinician_and_her_link_explains(new_tab, maya_self_scheduling_restored):
    admin_tab = new_tab()
    admin = admin_tab.open_as(ADMIN, "/settings")
    admin_tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _settings_tab(admin, "Clinicians")
    profile = admin.get_by_role("group", name=f"Profile of {MAYA}")
    profile.get_by_role("button", name=f"Copy the booking link of {MAYA}").click()
    expect(profile.get_by_role("button", name=f"Copied the booking link of {MAYA}")).to_be_visible()
    assert admin.evaluate("navigator.clipboard.readText()").endswith("/book/maya-chen")

    profile.get_by_role("button", name=f"Edit profile of {MAYA}").click()
    dialog = admin.get_by_role("dialog", name="Edit profile")
    switch = dialog.get_by_role("switch", name="Clients can self-schedule")
    expect(switch).to_be_checked()
    switch.click()
    dialog.get_by_role("button", name="Save").click()
    expect(profile.get_by_text("Self-scheduling off")).to_be_visible()

    client_tab = new_tab()
    client = client_tab.open_as(ALEX)
    _provider_options(client)
    expect(client.get_by_role("option", name="Robin Park, LPC")).to_be_visible()
    expect(client.get_by_role("option", name=MAYA_LABEL)).to_have_count(0)

    client.goto(client_tab.base_url + "/book/maya-chen")
    expect(
        client.get_by_role("heading", name=f"{MAYA} is not taking online requests at the moment.")
    ).to_be_visible()
    expect(
        client.get_by_text("Please call the practice at (617) 555-0148 to book an appointment.")
    ).to_be_visible()
    expect(client).to_have_url(re.compile(r"/book/maya-chen$"))
