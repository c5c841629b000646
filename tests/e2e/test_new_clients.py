"""Someone who is not yet a client asks for a first appointment, signed out, through to their account.

Robin Park's Initial Consultation (new clients only, 60 minutes) in the wizard's second week: day 8
at 2:00 PM for the child's request that is accepted, at 6:00 PM for the one cancelled; day 9 at
11:00 AM for the race with Sam Taylor's Individual Therapy.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e import logins
from tests.e2e.booking_fixtures import PROVIDER, cell_name, day_in_next_week, open_wizard_at_next_week
from tests.e2e.screenshots import screenshots
from tests.smtp_server import SmtpServer

NEW_PASSWORD = "harbor lights at dusk"
TAKEN = "That time was just taken — please choose another"


def _emailed_link(mail_server: SmtpServer | None, new_tab, subject: str, address: str, pattern: str) -> str:
    """A link in the email of ``subject`` to ``address``: as the test's SMTP server received it, or
    (against a deployment) as its admin reads it in the Email outbox."""
    if mail_server is None:
        return _outbox_link(new_tab().open_as(logins.ADMIN), subject, address, pattern)
    message = mail_server.inbox.wait_for(address, subject)
    text = message.get_body(("plain",)).get_content()
    match = re.search(pattern, text)
    assert match, text
    return match.group(1)


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


def _request_as_new_client(page: Page, clock: str, day: int = 8) -> None:
    """From the clinician's link: I'm a New Client, the Initial Consultation at ``clock`` on ``day``."""
    page.get_by_role("link", name="I'm a New Client").click()
    expect(page.get_by_role("heading", name="Request an appointment", level=1)).to_be_visible()
    expect(page.get_by_role("combobox", name="Provider")).to_have_text(PROVIDER.label)
    page.get_by_role("combobox", name="Service").click()
    page.get_by_role("option", name="Initial Consultation").click()
    page.get_by_role("button", name="Next week").click()
    page.get_by_role("gridcell", name=cell_name(day_in_next_week(day), clock)).click()
    screenshots(page, "new-client-time")
    page.get_by_role("button", name="Next", exact=True).click()


def test_a_visitor_requests_for_their_child_confirms_and_becomes_a_client(new_tab, mail_server):
    guardian, child = f"Dana Quill {uuid.uuid4().hex[:4]}", f"Milo Quill {uuid.uuid4().hex[:4]}"
    email = f"new-{uuid.uuid4().hex[:10]}@example.com"
    visitor = new_tab()
    page = visitor.open(f"/book/{PROVIDER.slug}")
    expect(page.get_by_role("link", name="I'm an Existing Client")).to_be_visible()
    screenshots(page, "new-client-link")
    _request_as_new_client(page, "2:00 PM")

    screenshots(page, "new-client-who")
    page.get_by_role("radio", name=re.compile("^My child")).click()
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_label("Full name").first.fill(guardian)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("group", name="Your child").get_by_label("Full name").fill(child)
    page.get_by_label("Message to the provider (optional)").fill("Milo is 9; after school works best.")
    screenshots(page, "new-client-details")
    page.get_by_role("button", name="Request Appointment").click()

    sent = page.get_by_role("status").filter(has_text="Check your email")
    expect(sent).to_contain_text(email)
    expect(sent).to_contain_text("30 minutes")
    expect(page.get_by_role("link", name="Add to calendar")).to_be_visible()
    screenshots(page, "new-client-sent")

    confirm = _emailed_link(
        mail_server, new_tab, "Confirm your appointment request", email, r"(/request\?token=[\w-]+)"
    )
    confirmed = new_tab().open(confirm)
    expect(confirmed.get_by_role("heading", name="Your request was sent")).to_be_visible()
    expect(confirmed.get_by_text("Sent — waiting for the provider's answer")).to_be_visible()
    screenshots(confirmed, "new-client-confirmed")

    therapist = new_tab().open_as(logins.CLINICIAN)
    request = therapist.get_by_role("group", name=re.compile(f"Request from {child}"))
    expect(request).to_contain_text("New client")
    expect(request).to_contain_text(f"{guardian} (parent or guardian, {email})")
    screenshots(therapist, "new-client-dashboard")
    request.get_by_role("button", name="Accept").click()
    expect(therapist.get_by_role("status").filter(has_text="Accepted")).to_be_visible()

    invitation = _emailed_link(
        mail_server, new_tab, "Your invitation to the portal", email, r"(/set-password\?token=[\w-]+)"
    )
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
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_label("Full name").fill("Avery Stone")
    page.get_by_label("Email", exact=True).fill(f"cancel-{uuid.uuid4().hex[:10]}@example.com")
    page.get_by_role("button", name="Request Appointment").click()
    expect(page.get_by_role("status").filter(has_text="Check your email")).to_be_visible()
    # Add to calendar: the request, marked tentative while it waits.
    calendar = page.request.get(page.get_by_role("link", name="Add to calendar").get_attribute("href"))
    assert calendar.ok
    assert "STATUS:TENTATIVE" in calendar.text()
    assert "Robin Park" in calendar.text()

    page.get_by_role("button", name="Cancel request").click()
    page.get_by_role("button", name="Cancel request").click()

    expect(page.get_by_role("heading", name="Your request was cancelled")).to_be_visible()
    # The time is free again for anyone.
    again = new_tab().open(f"/book/{PROVIDER.slug}")
    again.get_by_role("link", name="I'm a New Client").click()
    again.get_by_role("combobox", name="Service").click()
    again.get_by_role("option", name="Initial Consultation").click()
    again.get_by_role("button", name="Next week").click()
    expect(again.get_by_role("gridcell", name=cell_name(day_in_next_week(8), "6:00 PM"))).to_be_visible()


def test_a_new_client_and_an_existing_client_race_for_one_slot_and_one_wins(new_tab):
    day = day_in_next_week(9)
    existing = new_tab().open_as(logins.SECOND_CLIENT)
    open_wizard_at_next_week(existing, PROVIDER)
    existing.get_by_role("gridcell", name=cell_name(day, "11:00 AM")).click()
    existing.get_by_role("dialog").get_by_role("button", name="Save").click()
    submit_existing = existing.get_by_role("button", name="Submit New Appointment")
    expect(submit_existing).to_be_visible()

    newcomer = new_tab().open(f"/book/{PROVIDER.slug}")
    _request_as_new_client(newcomer, "11:00 AM", day=9)
    newcomer.get_by_role("radio", name=re.compile("^Me")).click()
    newcomer.get_by_role("button", name="Next", exact=True).click()
    newcomer.get_by_label("Full name").fill("Casey Reed")
    newcomer.get_by_label("Email", exact=True).fill(f"race-{uuid.uuid4().hex[:10]}@example.com")
    submit_new = newcomer.get_by_role("button", name="Request Appointment")

    submit_new.click()
    submit_existing.click()

    new_won = newcomer.get_by_role("status").filter(has_text="Check your email")
    new_lost = newcomer.get_by_role("alert").filter(has_text=TAKEN)
    existing_won = existing.get_by_role("heading", name="Request sent")
    existing_lost = existing.get_by_role("alert").filter(has_text=TAKEN)
    expect(new_won.or_(new_lost)).to_be_visible()
    expect(existing_won.or_(existing_lost)).to_be_visible()
    assert new_won.is_visible() != existing_won.is_visible()
    # The one who lost is back at the calendar, where the time is no longer offered.
    loser = newcomer if new_lost.is_visible() else existing
    expect(loser.get_by_role("gridcell", name=cell_name(day, "11:00 AM", "unavailable"))).to_be_visible()
