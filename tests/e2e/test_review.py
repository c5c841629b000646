"""The core loop: a client's request reaches the therapist, who accepts or declines it."""

import re

from playwright.sync_api import expect

from portal_app.services.email_sender import WAITING_FOR_MAIL_SERVER
from tests.e2e import logins
from tests.e2e.booking_fixtures import (
    PRACTICE_ZONE,
    cell_name,
    date_words,
    day_in_next_week,
    open_wizard_at_next_week,
    save_and_submit,
)

ALEX = logins.CLIENT
MAYA = logins.OTHER_CLINICIAN
THERAPIST = logins.CLINICIAN  # the provider the requests go to
# Far below the safety-net poll (a minute): only a pushed update arrives in time.
PUSHED = 5_000


def _request(page, provider, day, clock: str) -> None:
    open_wizard_at_next_week(page, provider)
    page.get_by_role("gridcell", name=cell_name(day, clock)).click()
    save_and_submit(page)
    page.get_by_role("button", name="View My Appointments").click()


def _session_mark(page, day, status: str):
    """A session drawn on the therapist's schedule (in practice time: 9:00 AM Chicago is 10:00 AM)."""
    name = rf"^10:00 AM Alex Rivera · {status}, {re.escape(date_words(day))}, E[SD]T$"
    return page.get_by_role("button", name=re.compile(name))


def _request_card(page, day):
    return page.get_by_role("group", name=re.compile(rf"Request from Alex Rivera, .*{day:%b} {day.day}"))


def test_accepting_shows_confirmed_on_the_clients_open_page(new_tab, provider):
    day = day_in_next_week(10)
    client = new_tab().open_as(ALEX)
    _request(client, provider, day, "11:00 AM")
    requested = client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*Unconfirmed"))
    expect(requested).to_be_visible()

    therapist = new_tab().open_as(THERAPIST)
    card = _request_card(therapist, day)
    expect(card).to_contain_text("Individual Therapy")
    card.get_by_role("button", name="Accept").click()
    expect(therapist.get_by_role("status").filter(has_text="Accepted")).to_be_visible()
    expect(_request_card(therapist, day)).to_have_count(0)

    # The client's page was left open: the change is pushed to it (the poll is a minute apart).
    upcoming = client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*Confirmed"))
    expect(upcoming).to_be_visible(timeout=PUSHED)
    expect(upcoming).to_contain_text(provider.name)


def test_a_new_request_appears_on_the_therapists_open_dashboard(new_tab, provider):
    day = day_in_next_week(11)
    therapist = new_tab().open_as(THERAPIST)
    expect(therapist.get_by_role("heading", name="Requests waiting for you")).to_be_visible()
    # 6:00 PM in the client's Chicago is 7:00 PM in the practice's New York.
    card = _request_card(therapist, day).filter(has_text="7:00 PM")
    expect(card).to_have_count(0)

    client = new_tab().open_as(ALEX)
    _request(client, provider, day, "6:00 PM")

    expect(card).to_contain_text("Individual Therapy", timeout=PUSHED)


def test_declining_with_a_message_frees_the_time(new_tab, provider):
    day = day_in_next_week(13)
    client = new_tab().open_as(ALEX)
    _request(client, provider, day, "2:00 PM")

    therapist = new_tab().open_as(THERAPIST)
    _request_card(therapist, day).get_by_role("button", name="Decline").click()
    dialog = therapist.get_by_role("dialog", name="Decline request")
    dialog.get_by_label("Message to the client (optional)").fill("I'm away that afternoon, sorry!")
    dialog.get_by_role("button", name="Decline request").click()
    expect(therapist.get_by_role("status").filter(has_text="Declined")).to_be_visible()

    declined = client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*Declined"))
    expect(declined).to_be_visible(timeout=PUSHED)
    expect(declined).to_contain_text("I'm away that afternoon, sorry!")
    open_wizard_at_next_week(client, provider)
    expect(client.get_by_role("gridcell", name=cell_name(day, "2:00 PM"))).to_be_visible()


def test_a_clinician_does_not_see_another_clinicians_requests(new_tab, provider):
    day = day_in_next_week(10)
    client = new_tab().open_as(ALEX)
    _request(client, provider, day, "4:00 PM")

    maya = new_tab().open_as(MAYA)
    expect(maya.get_by_role("heading", name="Requests waiting for you")).to_be_visible()
    expect(maya.get_by_role("group", name=re.compile(r"Request from Sam Taylor"))).to_be_visible()
    expect(_request_card(maya, day)).to_have_count(0)


def test_a_client_cannot_reach_the_dashboard(tab):
    page = tab.open_as(ALEX)
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()
    tab.open("/dashboard")
    expect(page).to_have_url(re.compile(r"/appointments/?$"))


def test_the_admin_reads_the_outbox(tab, mail_server):
    page = tab.open_as(logins.ADMIN)
    page.get_by_role("banner").get_by_role("link", name="Email outbox").click()

    expect(page.get_by_role("heading", name="Email outbox", level=1)).to_be_visible()
    expect(page.get_by_text("Appointment request received").first).to_be_visible()
    # The portal started here sends to the run's mail server; a deployment's mail is sent or waits
    # for its server. Either way none is given up on.
    shown = page.get_by_text("Sent", exact=True) if mail_server else page.get_by_text(WAITING_FOR_MAIL_SERVER)
    expect(shown.first).to_be_visible()
    expect(page.get_by_text("Not sent", exact=True)).to_have_count(0)


def test_a_client_withdraws_a_request_and_cancels_a_confirmed_appointment(new_tab, provider):
    day = day_in_next_week(9)
    client = new_tab().open_as(ALEX)
    _request(client, provider, day, "9:00 AM")
    _request(client, provider, day, "4:00 PM")
    therapist = new_tab().open_as(THERAPIST)
    # The dashboard speaks the practice's zone: 4:00 PM in Chicago is 5:00 PM in New York.
    _request_card(therapist, day).filter(has_text="5:00 PM").get_by_role("button", name="Accept").click()
    expect(therapist.get_by_role("status").filter(has_text="Accepted")).to_be_visible()

    requested = client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*Unconfirmed"))
    requested.filter(has_text="9:00 AM").click()
    details = client.get_by_role("dialog")
    details.get_by_role("button", name="Withdraw request").click()
    # Nothing happens before the client confirms: the step names the request and takes a reason.
    confirm = details.get_by_role("form", name=re.compile(rf"Withdraw Individual Therapy on .*{day.day}.*\?"))
    expect(confirm.get_by_role("textbox", name="Reason (optional)")).to_be_focused()
    confirm.get_by_role("button", name="Keep it").click()
    details.get_by_role("button", name="Withdraw request").click()
    confirm.get_by_role("textbox", name="Reason (optional)").fill("Found a time closer to home.")
    confirm.get_by_role("button", name="Withdraw request").click()
    expect(client.get_by_role("status").filter(has_text="Request withdrawn.")).to_be_visible()
    expect(client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*Withdrawn"))).to_be_visible()

    confirmed = client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*Confirmed"))
    confirmed.filter(has_text="4:00 PM").click()
    details.get_by_role("button", name="Cancel appointment").click()
    details.get_by_role("form", name=re.compile("Cancel Individual Therapy")).get_by_role(
        "button", name="Cancel appointment"
    ).click()
    expect(client.get_by_role("status").filter(has_text="Appointment cancelled.")).to_be_visible()
    expect(client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*Cancelled"))).to_be_visible()


def test_a_request_opened_from_the_schedule_is_accepted_there(new_tab, provider):
    day = day_in_next_week(12)
    client = new_tab().open_as(ALEX)
    _request(client, provider, day, "9:00 AM")

    therapist = new_tab().open_as(THERAPIST)
    expect(therapist.get_by_role("grid", name="Schedule")).to_be_visible()
    therapist.get_by_role("button", name="Next week").click()
    # Practice time: 9:00 AM in Chicago is 10:00 AM in New York.
    _session_mark(therapist, day, "Unconfirmed").click()
    details = therapist.get_by_role("dialog")
    expect(details).to_contain_text("Requested: Unconfirmed")
    details.get_by_role("button", name="Accept").click()

    expect(therapist.get_by_role("status").filter(has_text="Accepted")).to_be_visible()
    expect(_session_mark(therapist, day, "Confirmed")).to_be_visible()


def test_a_therapist_cancels_a_confirmed_appointment_with_a_message(new_tab, provider):
    day = day_in_next_week(13)
    client = new_tab().open_as(ALEX)
    _request(client, provider, day, "10:00 AM")
    therapist = new_tab().open_as(THERAPIST)
    _request_card(therapist, day).get_by_role("button", name="Accept").click()
    expect(therapist.get_by_role("status").filter(has_text="Accepted")).to_be_visible()

    # Practice time: 10:00 AM in Chicago is 11:00 AM in New York.
    therapist.get_by_role(
        "button",
        name=re.compile(rf"{day:%b} {day.day}, .*11:00 AM.*, Alex Rivera, Individual Therapy, .*Confirmed"),
    ).click()
    details = therapist.get_by_role("dialog")
    expect(details.get_by_role("link", name="alex.rivera@example.com")).to_be_visible()
    details.get_by_role("button", name="Cancel appointment").click()
    confirm = details.get_by_role("form", name=re.compile("Cancel Alex Rivera's appointment"))
    confirm.get_by_role("textbox", name="Message to the client (optional)").fill(
        "The office is closed that day."
    )
    confirm.get_by_role("button", name="Cancel appointment").click()
    expect(therapist.get_by_role("status").filter(has_text="Appointment cancelled.")).to_be_visible()

    cancelled = client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*10:00 AM.*Cancelled"))
    expect(cancelled).to_be_visible(timeout=PUSHED)
    expect(cancelled).to_contain_text("The office is closed that day.")


def test_a_therapist_proposes_another_time_and_the_client_accepts_it(new_tab, provider):
    day = day_in_next_week(13)
    client = new_tab().open_as(ALEX)
    _request(client, provider, day, "3:00 PM")

    therapist = new_tab().open_as(THERAPIST)
    # Practice time: 3:00 PM in Chicago is 4:00 PM in New York.
    _request_card(therapist, day).filter(has_text="4:00 PM").get_by_role(
        "button", name="Propose time to Alex Rivera"
    ).click()
    proposal = therapist.get_by_role("dialog", name="Propose another time")
    expect(proposal).to_contain_text("Alex Rivera asked for")
    proposal.get_by_role("gridcell", name=cell_name(day, "6:00 PM", zone=PRACTICE_ZONE)).click()
    expect(proposal.get_by_role("status")).to_contain_text("6:00 PM – 6:50 PM")
    proposal.get_by_label("Message to the client (optional)").fill("I'm in session at 4 — would 6 work?")
    proposal.get_by_role("button", name="Send proposal").click()
    expect(proposal).to_have_count(0)
    expect(_request_card(therapist, day).filter(has_text="4:00 PM")).to_have_count(0)

    # The client's open page gets it pushed: 6:00 PM in New York is 5:00 PM in Chicago.
    offered = client.get_by_role(
        "button", name=re.compile(rf"{day:%b} {day.day}, .*5:00 PM.*New time proposed")
    )
    expect(offered).to_contain_text("would 6 work?", timeout=PUSHED)
    offered.click()
    client.get_by_role("dialog").get_by_role("button", name="Accept proposed time").click()
    expect(client.get_by_role("status").filter(has_text="your appointment is confirmed")).to_be_visible()
    expect(
        client.get_by_role("button", name=re.compile(rf"{day:%b} {day.day}, .*5:00 PM.*Confirmed"))
    ).to_be_visible()
