"""Someone who is not yet a client asks for a first appointment, signed out, through to their account.

Robin Park's Initial Consultation (new clients only, 60 minutes) on day 8 of the wizard's second
week: 2:00 PM for the child's request that is accepted, 6:00 PM for the one cancelled.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e import logins
from tests.e2e.booking_fixtures import PROVIDER, cell_name, day_in_next_week

NEW_PASSWORD = "harbor lights at dusk"


def _outbox_link(admin: Page, subject: str, address: str, pattern: str) -> str:
    """A link in the newest email of ``subject`` to ``address``, read as the admin reads the outbox."""
    admin.get_by_role("link", name="Email outbox").first.click()
    admin.get_by_role(
        "button", name=re.compile(rf"^Read {re.escape(subject)}.* to {re.escape(address)}$")
    ).first.click()
    dialog = admin.get_by_role("dialog")
    match = re.search(pattern, dialog.inner_text())
    assert match, dialog.inner_text()
    dialog.get_by_role("button", name="Close").first.click()
    return match.group(1)


def _request_as_new_client(page: Page, clock: str) -> None:
    """From the clinician's link: I'm a New Client, the Initial Consultation at ``clock`` on day 8."""
    page.get_by_role("button", name="I'm a New Client").click()
    expect(page.get_by_role("heading", name="Request an appointment", level=1)).to_be_visible()
    expect(page.get_by_role("combobox", name="Provider")).to_have_text(PROVIDER.label)
    page.get_by_role("combobox", name="Service").click()
    page.get_by_role("option", name="Initial Consultation").click()
    page.get_by_role("button", name="Next week").click()
    page.get_by_role("gridcell", name=cell_name(day_in_next_week(8), clock)).click()
    page.get_by_role("button", name="Next", exact=True).click()


def test_a_visitor_requests_for_their_child_confirms_and_becomes_a_client(new_tab):
    guardian, child = f"Dana Quill {uuid.uuid4().hex[:4]}", f"Milo Quill {uuid.uuid4().hex[:4]}"
    email = f"new-{uuid.uuid4().hex[:10]}@example.com"
    visitor = new_tab()
    page = visitor.open(f"/book/{PROVIDER.slug}")
    expect(page.get_by_role("button", name="I'm an Existing Client")).to_be_visible()
    _request_as_new_client(page, "2:00 PM")

    page.get_by_role("radio", name=re.compile("^My child")).click()
    page.get_by_label("Full name").first.fill(guardian)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("group", name="Your child").get_by_label("Full name").fill(child)
    page.get_by_label("Message to the provider (optional)").fill("Milo is 9; after school works best.")
    page.get_by_role("button", name="Request Appointment").click()

    sent = page.get_by_role("status").filter(has_text="Check your email")
    expect(sent).to_contain_text(email)
    expect(sent).to_contain_text("30 minutes")
    expect(page.get_by_role("link", name="Add to calendar")).to_be_visible()

    admin = new_tab().open_as(logins.ADMIN)
    confirm = _outbox_link(admin, "Confirm your appointment request", email, r"(/request\?token=[\w-]+)")
    confirmed = new_tab().open(confirm)
    expect(confirmed.get_by_role("heading", name="Your request was sent")).to_be_visible()
    expect(confirmed.get_by_text("Sent — waiting for the provider's answer")).to_be_visible()

    therapist = new_tab().open_as(logins.CLINICIAN)
    request = therapist.get_by_role("group", name=re.compile(f"Request from {child}"))
    expect(request).to_contain_text("New client")
    expect(request).to_contain_text(f"{guardian} (parent or guardian, {email})")
    request.get_by_role("button", name="Accept").click()
    expect(therapist.get_by_role("status").filter(has_text="Accepted")).to_be_visible()

    invitation = _outbox_link(admin, "Your invitation to the portal", email, r"(/set-password\?token=[\w-]+)")
    client = new_tab()
    page = client.open(invitation)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page).to_have_url(re.compile(r"/login\?password_set=1$"))
    expect(page.get_by_label("Email")).to_have_value(email)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()
    upcoming = page.get_by_role("button", name=re.compile(r"Initial Consultation, .*Confirmed"))
    expect(upcoming).to_contain_text(PROVIDER.name)


def test_a_visitor_cancels_their_request_from_the_confirmation_screen(new_tab):
    page = new_tab().open(f"/book/{PROVIDER.slug}")
    _request_as_new_client(page, "6:00 PM")
    page.get_by_role("radio", name=re.compile("^Me")).click()
    page.get_by_label("Full name").fill("Avery Stone")
    page.get_by_label("Email", exact=True).fill(f"cancel-{uuid.uuid4().hex[:10]}@example.com")
    page.get_by_role("button", name="Request Appointment").click()
    expect(page.get_by_role("status").filter(has_text="Check your email")).to_be_visible()

    page.get_by_role("button", name="Cancel request").click()
    page.get_by_role("button", name="Cancel request").click()

    expect(page.get_by_role("heading", name="Your request was cancelled")).to_be_visible()
    # The time is free again for anyone.
    again = new_tab().open(f"/book/{PROVIDER.slug}")
    again.get_by_role("button", name="I'm a New Client").click()
    again.get_by_role("combobox", name="Service").click()
    again.get_by_role("option", name="Initial Consultation").click()
    again.get_by_role("button", name="Next week").click()
    expect(again.get_by_role("gridcell", name=cell_name(day_in_next_week(8), "6:00 PM"))).to_be_visible()
