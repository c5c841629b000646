"""An admin invites a client; the client sets a password from the emailed link and signs in."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e import logins
from tests.e2e.screenshots import screenshots

NEW_PASSWORD = "river stones and lanterns"


def _invitation_link(admin: Page, email: str) -> str:
    """The set-password link in the invitation, read as the admin reads it in the Email outbox."""
    admin.get_by_role("link", name="Email outbox").first.click()
    admin.get_by_role("button", name=re.compile(rf"^Read .* to {re.escape(email)}$")).click()
    dialog = admin.get_by_role("dialog")
    expect(dialog).to_contain_text("invited you to the Oak Street Counseling portal")
    expect(dialog).to_contain_text("expires on")
    match = re.search(r"(/set-password\?token=[\w-]+)", dialog.inner_text())
    assert match, dialog.inner_text()
    return match.group(1)


def test_an_invited_client_sets_a_password_from_the_email_and_signs_in(new_tab):
    name = f"Rowan Vale {uuid.uuid4().hex[:6]}"
    email = f"invite-{uuid.uuid4().hex[:10]}@example.com"
    admin = new_tab().open_as(logins.ADMIN)
    admin.get_by_role("link", name="Team").first.click()
    expect(admin.get_by_role("heading", name="Team", level=1)).to_be_visible()
    screenshots(admin, "team")

    admin.get_by_role("button", name="Invite client").click()
    dialog = admin.get_by_role("dialog", name="Invite client")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_label("Phone (optional)").fill("555-0142")
    screenshots(admin, "team-invite-client")
    dialog.get_by_role("button", name="Send invitation").click()

    expect(admin.get_by_role("status")).to_have_text(f"Invitation sent to {name}.")
    invited = admin.get_by_role("listitem", name=name)
    expect(invited).to_contain_text("Invited")
    expect(invited).to_contain_text("expires")
    invited.get_by_role("button", name=f"Revoke invitation of {name}").click()
    confirm = admin.get_by_role("alertdialog", name=f"Revoke {name}'s invitation?")
    expect(confirm).to_contain_text(email)
    screenshots(admin, "team-revoke-dialog")
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_have_count(0)
    expect(invited).to_contain_text("Invited")
    link = _invitation_link(admin, email)

    client = new_tab()
    page = client.open(link)
    expect(page.get_by_role("heading", name="Set your password", level=1)).to_be_visible()
    account = page.get_by_label("Your account")
    expect(account).to_contain_text(name)
    expect(account).to_contain_text(email)
    expect(account).to_contain_text("Oak Street Counseling")
    screenshots(page, "set-password")
    page.get_by_label("New password").fill("too short")
    page.get_by_label("Confirm password").fill("too short")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Please use at least 10 characters.")).to_be_visible()
    screenshots(page, "set-password-refused")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()

    expect(page).to_have_url(re.compile(r"/login\?password_set=1$"))
    expect(page.get_by_role("status")).to_have_text("Password set — sign in.")
    expect(page.get_by_label("Email")).to_have_value(email)
    expect(page.get_by_label("Password")).to_be_focused()
    screenshots(page, "sign-in-after-password-set")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/appointments/?$"))
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()
    expect(page.get_by_role("banner").get_by_text(name).filter(visible=True)).to_be_visible()

    client.open(link)
    # The form may show for a moment (its empty field messages are alerts too) until the link is read.
    expect(page.get_by_role("alert").filter(has_text="This link has already been used.")).to_be_visible()
    screenshots(page, "set-password-used")


def test_forgot_password_answers_without_saying_whether_the_email_is_known(tab):
    page = tab.open("/login")
    page.get_by_role("link", name="Forgot password?").click()

    expect(page.get_by_role("heading", name="Forgot your password?", level=1)).to_be_visible()
    expect(page.get_by_label("Email")).to_be_focused()
    page.get_by_label("Email").fill(f"nobody-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_role("button", name="Send reset link").click()

    expect(page.get_by_role("status")).to_contain_text(
        "If an account uses that email, we have sent it a link"
    )
    screenshots(page, "forgot-password")
    page.get_by_role("link", name="Back to sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
