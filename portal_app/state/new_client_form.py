"""What the public wizard's details form sends, and the card in it handed to the gateway."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, StringConstraints

from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.payment_cards import CardEntry, CardProblem
from portal_app.services.payments import CardRefused, SavedCard, configured_gateway
from portal_app.state.access import Form


def _absent_is_empty(value: object) -> object:
    # The form reports the fields it did not show (another choice's, a card not asked for) as null.
    return "" if value is None else value


# Every field of the form: text, at most as long as the longest the service takes (it checks each).
_Field = Annotated[
    str,
    BeforeValidator(_absent_is_empty),
    StringConstraints(max_length=MAX_MESSAGE_LENGTH, strip_whitespace=True),
]


class NewClientForm(Form):
    """The details step: who asks, who it is for, who joins; the message; the card if asked for."""

    requester_name: _Field = ""
    requester_email: _Field = ""
    requester_phone: _Field = ""
    patient_name: _Field = ""
    patient_email: _Field = ""
    patient_phone: _Field = ""
    partner_name: _Field = ""
    partner_email: _Field = ""
    message: _Field = ""
    # The honeypot: hidden from people, filled in by robots.
    website: _Field = ""
    card_number: _Field = ""
    card_expiry: _Field = ""
    card_cvc: _Field = ""


async def save_card(form: NewClientForm, *, today: date) -> SavedCard | CardRefused:
    """Hand the typed card to the gateway (off the event loop); the form's values go no further."""
    month, _, year = form.card_expiry.replace(" ", "").partition("/")
    if not (month.isdigit() and year.isdigit() and len(month) <= 2 and len(year) in (2, 4)):
        return CardRefused(CardProblem.EXPIRY)
    entry = CardEntry(
        number=form.card_number,
        exp_month=int(month),
        exp_year=int(year) + (2000 if len(year) == 2 else 0),
        cvc=form.card_cvc.strip(),
    )
    return await asyncio.to_thread(configured_gateway().save_card, entry, today=today)
