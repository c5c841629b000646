"""Hostile arguments, drawn by hypothesis, at every public handler of every state, as every role.

The handlers are found from the app (``tests.state.test_every_handler``), so a new one is covered
without editing this file. Each is called as a browser's forged event would call it: signed out,
as two clients, two therapists and the admin, with values no page sends (wrong types, ids past
any row, ``"9" * 25``, ``"²"``, None, lists, dicts, 10 kB strings, control characters, extra and
unknown arguments). Every call must end in a plain answer (sign-in, the role's home page, or the
"that did not look right" message), raise nothing, log no error and leave the practice's data as
it was. The figures are printed in the run's summary.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel

from portal_app import database, routes
from portal_app.domain.vocabulary import Role
from portal_app.event_logs import backend_exception_handler
from portal_app.models import (
    LoginAttempt,
    LoginGrant,
    PasswordResetRequest,
    SecondStepAttempt,
    SignInChallenge,
    UserSession,
    WorkerLease,
)
from portal_app.state.access import access_of
from portal_app.state.session import SessionState
from tests.security.conftest import FIGURES, call_as_reflex_does, http
from tests.state.conftest import Browser, browser_for, redirect_target, refused_as_bad_input
from tests.state.test_every_handler import HANDLERS

# Signed out, and the demo's two clients, two therapists and admin: each is someone else's "other".
PEOPLE = {
    "signed out": (None, None),
    "client Alex": (Role.CLIENT, "alex.rivera@example.com"),
    "client Sam": (Role.CLIENT, "sam.taylor@example.com"),
    "therapist Maya": (Role.CLINICIAN, "maya.chen@example.org"),
    "therapist Jordan": (Role.CLINICIAN, "jordan.alvarez@example.org"),
    "admin": (Role.ADMIN, "office@example.org"),
}
# Tables that sign-in itself writes (a forged sign-in form records an attempt); everything
# else is the practice's data, which no hostile call may change.
SIGN_IN_TABLES = {
    model.__tablename__
    for model in (
        LoginAttempt,
        LoginGrant,
        PasswordResetRequest,
        SecondStepAttempt,
        SignInChallenge,
        UserSession,
        WorkerLease,
    )
}
CONTROL_CHARACTERS = "".join(map(chr, [*range(32), 127, 0x85, 0x2028, 0x2029]))
EXAMPLES = 2

# Values no page sends for any argument type (ints outside every id, step and instant range).
_wrong_numbers = st.one_of(
    st.integers(max_value=-2),
    st.just(0),
    st.integers(min_value=2**53),
    st.just(int("9" * 25)),
    st.floats(allow_nan=True, allow_infinity=True),
)
_strings = st.one_of(
    st.just("9" * 25),
    st.just("²"),
    st.just("١٢٣"),
    st.text(alphabet=CONTROL_CHARACTERS, min_size=1, max_size=8),
    st.text(max_size=70),
    st.text(min_size=1, max_size=8).map(lambda piece: (piece * (10_240 // len(piece) + 1))[:10_240]),
)
HOSTILE = st.recursive(
    st.one_of(st.none(), st.booleans(), _wrong_numbers, _strings, st.binary(max_size=8)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def hostile_payload(draw, parameters: list[str]) -> dict:
    """An event's payload (Reflex calls ``handler(state, **payload)``): junk for each argument,
    one argument too many, or names the handler does not have (``self`` and ``viewer`` too)."""
    shape = draw(st.sampled_from(["each argument", "one too many", "unknown names"]))
    payload = {name: draw(HOSTILE) for name in parameters}
    if shape == "each argument" and parameters:
        return payload
    names = st.sampled_from(["self", "viewer", "unexpected"]) | st.text(min_size=1, max_size=12)
    unknown = names.filter(lambda name: name not in parameters)
    extra = draw(st.dictionaries(unknown, HOSTILE, min_size=1, max_size=3))
    return (payload if shape == "one too many" else {}) | extra


def _fingerprint(engine: sa.Engine) -> dict[str, str]:
    """A digest of every row of every table of the practice's data."""
    digests = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in SIGN_IN_TABLES:
                rows = connection.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
                digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def _answer_kind(event, role: Role | None, allowed: frozenset[Role], signed_in: bool) -> str:
    target = redirect_target(event)
    if target is not None and target.startswith(routes.LOGIN) and signed_in and role is None:
        return "sent to sign in"
    refused_role = signed_in and role is not None and bool(allowed) and role not in allowed
    if refused_role and target == routes.HOME_FOR_ROLE[role]:
        return "sent home"
    if refused_as_bad_input(event):
        return "did not look right"
    return "accepted"


def _may_be_accepted(payload: dict, parameters: list[str]) -> bool:
    """Only a payload shaped as the page's could pass validation: its own names, text, forms, flags."""
    shaped = set(payload) == set(parameters)
    return shaped and all(type(value) in (str, dict, bool) for value in payload.values())


@pytest.fixture(scope="module")
def seeded(demo_database) -> dict[str, str]:
    """The demo practice's data as every test's copy starts."""
    return _fingerprint(demo_database)


@pytest.fixture(scope="module")
def signed_in(demo_database) -> dict[str, Browser]:
    """Everyone's tab, signed in once on the demo database that every test gets a copy of."""
    database.use_engine(demo_database)
    try:
        return {person: browser_for(email) if email else Browser() for person, (_, email) in PEOPLE.items()}
    finally:
        database.use_engine(None)


@pytest.mark.parametrize(("state_cls", "name"), HANDLERS)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],  # bounded time: a failure is reported as drawn
)
@given(data=st.data())
def test_hostile_arguments_from_anyone_are_refused_plainly_and_change_nothing(
    seeded, signed_in, app_db, caplog, state_cls, name, data
):
    handler = state_cls.event_handlers[name].fn
    allowed, needs_sign_in = access_of(handler)
    parameters = list(handler.__signature__.parameters)[1:]
    tally: Counter[str] = Counter()
    failures = []
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        for person, (role, _) in PEOPLE.items():
            payload = data.draw(hostile_payload(parameters), label=person)
            page = routes.HOME_FOR_ROLE[role] if role else routes.LOGIN
            state = signed_in[person].state(state_cls, path=page)
            own_before = _own_vars(state)
            try:
                answers = call_as_reflex_does(state, state_cls.event_handlers[name], **payload)
            except Exception as error:  # noqa: BLE001 - handled as the app's exception handler does
                # Reflex hands it to the app's handler: a payload that does not fit the call is a
                # warning (counted as refused); anything else is an error, which fails below.
                if backend_exception_handler(error) is None:
                    tally["refused by Reflex"] += 1
                else:
                    tally["exceptions"] += 1
                    failures.append(f"{person}: {payload!r:.160} raised {error!r:.200}")
                continue
            kind = _answer_kind(answers[-1] if answers else None, role, allowed, needs_sign_in)
            tally[kind] += 1
            if kind == "accepted" and not _may_be_accepted(payload, parameters):
                failures.append(f"{person}: accepted {payload!r:.200}")
            if kind != "accepted" and _own_vars(state) != own_before:
                failures.append(f"{person}: refused but changed the page")
    errors = [record.getMessage()[:200] for record in caplog.records if record.levelno >= logging.ERROR]
    after = _fingerprint(app_db)

    figures = FIGURES.setdefault("hostile arguments", Counter())
    figures["handler × person pairs"] = len(HANDLERS) * len(PEOPLE)
    figures["calls"] += tally.total()
    figures.update(tally)
    figures["exceptions"] += 0  # listed even when none was raised
    figures["errors logged"] += len(errors)
    assert not failures, failures
    assert not errors, errors
    changed = [table for table in seeded if seeded[table] != after.get(table)]
    assert not changed, f"hostile calls to {state_cls.__name__}.{name} changed {changed}"


def _own_vars(state) -> dict:
    return {key: getattr(state, key) for key in type(state).base_vars if key not in SessionState.base_vars}


# Path parts a browser could put where the .ics route expects an appointment's id.
HOSTILE_IDS = ["%C2%B2", "9" * 25, "0", "-1", "1e3", "%D9%A1", "%00", "1%0A", "x" * 2000, "9007199254740993"]


@pytest.mark.parametrize("person", [person for person, (role, _) in PEOPLE.items() if role])
def test_the_calendar_file_route_answers_junk_ids_with_not_found(seeded, signed_in, app_db, caplog, person):
    answers = [
        http("GET", f"/api/appointments/{raw}.ics", cookies=signed_in[person].cookie).status_code
        for raw in HOSTILE_IDS
    ]

    assert answers == [404] * len(HOSTILE_IDS)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
