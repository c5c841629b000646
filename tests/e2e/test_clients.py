"""The Clients page: a therapist finds their own clients and reads a client's history; the
practice admin adds a client and finds them."""

import json
import re
import secrets
from pathlib import Path

from playwright.sync_api import expect

from portal_app.domain.client_details import ClientProblem
from portal_app.state import wording
from tests.e2e import logins

MAYA = logins.OTHER_CLINICIAN  # the demo's Alex Rivera and Sam Taylor both see her
PRIYA = logins.THIRD_CLINICIAN  # sees Sam Taylor only


def _open_clients(page):
    page.get_by_role("banner").get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", name="Clients", level=1)).to_be_visible()


def test_a_therapist_finds_a_client_and_reads_their_history(new_tab):
    page = new_tab().open_as(MAYA)
    _open_clients(page)
    expect(page.get_by_role("button", name="Sam Taylor")).to_be_visible()

    page.get_by_role("searchbox", name="Search clients").fill("RIVERA")
    expect(page.get_by_role("button", name="Sam Taylor")).to_have_count(0)
    alex = page.get_by_role("button", name="Alex Rivera")
    alex.click()

    details = page.get_by_role("dialog", name="Alex Rivera")
    expect(details).to_contain_text("alex.rivera@example.com")
    expect(details).to_contain_text("Active")
    upcoming = details.get_by_role("list").filter(has_text="Confirmed")
    expect(upcoming).to_contain_text("Individual Therapy")
    expect(upcoming).to_contain_text("Dr. Maya Chen · Downtown Office")
    expect(upcoming).to_contain_text(re.compile(r"AM E[SD]T"))
    expect(details).to_contain_text("Completed")
    expect(details).to_contain_text("Appointment times in America/New_York")
    # Alex's request with Jordan Alvarez is not Maya's to read, nor Alex's whole record.
    expect(details).not_to_contain_text("Jordan Alvarez")
    expect(details.get_by_role("link", name="Download client data")).to_have_count(0)

    page.keyboard.press("Escape")
    expect(details).to_be_hidden()
    expect(alex).to_be_focused()


def test_another_therapists_client_is_not_listed(new_tab):
    page = new_tab().open_as(PRIYA)
    _open_clients(page)
    expect(page.get_by_role("button", name="Sam Taylor")).to_be_visible()

    page.get_by_role("searchbox", name="Search clients").fill("Alex")

    expect(page.get_by_text("No client matches “Alex”")).to_be_visible()
    expect(page.get_by_role("button", name="Alex Rivera")).to_have_count(0)


def test_the_admin_adds_a_client_and_finds_them(new_tab):
    token = secrets.token_hex(3)
    name, email = f"Quinn Okafor {token}", f"quinn.okafor.{token}@example.net"
    page = new_tab().open_as(logins.ADMIN)
    _open_clients(page)

    page.get_by_role("button", name="Add client").click()
    dialog = page.get_by_role("dialog", name="Add client")
    expect(dialog.get_by_label("Full name")).to_be_focused()
    dialog.get_by_label("Full name").fill(name)
    dialog.get_by_label("Email").fill(email.upper())
    dialog.get_by_label("Phone (optional)").fill("(617) 555-0190")
    dialog.get_by_role("button", name="Add client").click()

    expect(page.get_by_role("status").filter(has_text=wording.client_added(name))).to_be_visible()
    expect(dialog).to_be_hidden()
    page.get_by_role("searchbox", name="Search clients").fill(token)
    expect(page.get_by_text("1 of ")).to_be_visible()
    page.get_by_role("button", name=name).click()
    details = page.get_by_role("dialog", name=name)
    expect(details).to_contain_text(email)
    expect(details).to_contain_text("No portal account")
    expect(details).to_contain_text("No upcoming appointments.")
    details.get_by_role("button", name="Close").click()

    page.get_by_role("button", name="Add client").click()
    dialog.get_by_label("Full name").fill(f"Quinn Again {token}")
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_role("button", name="Add client").click()

    taken = wording.CLIENT_PROBLEMS[ClientProblem.EMAIL_TAKEN]
    expect(dialog.get_by_label("Email")).to_have_accessible_description(taken)
    expect(dialog.get_by_label("Full name")).to_have_value(f"Quinn Again {token}")
    expect(dialog.get_by_label("Full name")).not_to_have_attribute("aria-invalid", "true")


def test_the_admin_downloads_a_clients_data_from_their_record(new_tab):
    page = new_tab().open_as(logins.ADMIN)
    _open_clients(page)
    page.get_by_role("searchbox", name="Search clients").fill("Alex Rivera")
    page.get_by_role("button", name="Alex Rivera").click()
    details = page.get_by_role("dialog", name="Alex Rivera")
    expect(details).to_contain_text("alex.rivera@example.com")

    with page.expect_download() as download:
        details.get_by_role("link", name="Download client data").click()

    assert re.fullmatch(r"client-\d+-\d{4}-\d{2}-\d{2}\.json", download.value.suggested_filename)
    export = json.loads(Path(download.value.path()).read_text())
    assert export["client"]["full_name"] == "Alex Rivera"
    assert {row["clinician"] for row in export["appointments"]} >= {"Dr. Maya Chen", "Jordan Alvarez"}
    # The download opened elsewhere: the record is still open where it was.
    expect(details).to_be_visible()
