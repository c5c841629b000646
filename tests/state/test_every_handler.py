"""Every public handler of every state, found from the app (a new one is covered without edits).

Each is declared with the one access decorator; refuses people without a session or of another
role before doing anything; and answers garbage arguments with a plain message, not an exception.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import portal_app.state
from portal_app import routes
from portal_app.domain.vocabulary import Role
from portal_app.state.access import access_of
from portal_app.state.session import SessionState
from tests.state.conftest import Browser, browser_for, redirect_target, refused_as_bad_input, run

SIGN_IN_AS = {
    Role.CLIENT: "alex.rivera@example.com",
    Role.CLINICIAN: "maya.chen@example.org",
    Role.ADMIN: "office@example.org",
}
GARBAGE = [None, "9" * 25, "²", "", "\x00\r\n", "x" * 10_000, -1, 0, 10**30, 3.5, True, [1], {"id": 1}]


def _app_states() -> list[type[SessionState]]:
    # Every module of portal_app.state, imported here so that a new state cannot be missed.
    for module in pkgutil.iter_modules(portal_app.state.__path__, "portal_app.state."):
        importlib.import_module(module.name)
    found, waiting = [], [SessionState]
    while waiting:  # substates of substates too (Manage Appointment extends the wizard)
        state_cls = waiting.pop()
        found.append(state_cls)
        waiting.extend(state_cls.get_substates())
    return sorted(found, key=lambda cls: cls.__name__)


HANDLERS = [
    pytest.param(state_cls, name, id=f"{state_cls.__name__}.{name}")
    for state_cls in _app_states()
    for name in sorted(state_cls.event_handlers)
]
SIGNED_IN_HANDLERS = [
    param
    for param in HANDLERS
    if (access_of(param.values[0].event_handlers[param.values[1]].fn) or ((), 0))[1]
]


def _parameters(state_cls, name) -> list[str]:
    signature = inspect.signature(state_cls.event_handlers[name].fn)
    return list(signature.parameters)[1:]


def _plausible_arguments(state_cls, name) -> list:
    # Right types, values that name nothing of anyone's: the access check must come first.
    return [1 for _ in _parameters(state_cls, name)]


def _public_vars(state) -> dict:
    return {name: getattr(state, name) for name in type(state).base_vars}


def _own_vars(state) -> dict:
    """The page's own vars (the shell's, such as who is signed in, are refreshed by any event)."""
    return {name: value for name, value in _public_vars(state).items() if name not in SessionState.base_vars}


def test_the_app_has_handlers_to_check():
    assert len(HANDLERS) >= 40
    assert len(SIGNED_IN_HANDLERS) >= 25


@pytest.mark.parametrize(("state_cls", "name"), HANDLERS)
def test_every_handler_declares_who_may_call_it(state_cls, name):
    assert access_of(state_cls.event_handlers[name].fn) is not None, (
        f"{state_cls.__name__}.{name} must be declared with @requires(...) or @open_to_all"
    )


@pytest.mark.parametrize(("state_cls", "name"), SIGNED_IN_HANDLERS)
def test_without_a_session_every_protected_handler_sends_to_sign_in_and_changes_nothing(
    app_db, state_cls, name
):
    state = Browser(cookie=f"{routes.SESSION_COOKIE}=forged").state(state_cls, path=routes.APPOINTMENTS)
    before = _public_vars(state)

    event = run(state, name, *_plausible_arguments(state_cls, name))

    assert redirect_target(event).startswith(routes.LOGIN)
    assert _public_vars(state) == before


@pytest.mark.parametrize(("state_cls", "name"), SIGNED_IN_HANDLERS)
def test_every_other_role_is_sent_home_and_changes_nothing(app_db, state_cls, name):
    allowed, _ = access_of(state_cls.event_handlers[name].fn)
    for role in set(SIGN_IN_AS) - set(allowed or SIGN_IN_AS):
        state = browser_for(SIGN_IN_AS[role]).state(state_cls, path=routes.HOME_FOR_ROLE[role])
        before = {
            key: value for key, value in _public_vars(state).items() if key not in SessionState.base_vars
        }

        event = run(state, name, *_plausible_arguments(state_cls, name))

        assert redirect_target(event) == routes.HOME_FOR_ROLE[role], (role, event)
        after = {
            key: value for key, value in _public_vars(state).items() if key not in SessionState.base_vars
        }
        assert after == before


@pytest.mark.parametrize(("state_cls", "name"), HANDLERS)
def test_garbage_arguments_are_refused_plainly_by_the_right_role(app_db, state_cls, name):
    allowed, _ = access_of(state_cls.event_handlers[name].fn)
    role = next(iter(sorted(allowed))) if allowed else Role.CLIENT
    browser = browser_for(SIGN_IN_AS[role])
    parameters = _parameters(state_cls, name)
    attempts = [((), {"unexpected": 1}), ((*_plausible_arguments(state_cls, name), "extra"), {})]
    for position in range(len(parameters)):
        for junk in GARBAGE:
            arguments = _plausible_arguments(state_cls, name)
            arguments[position] = junk
            attempts.append((tuple(arguments), {}))

    for args, kwargs in attempts:
        state = browser.state(state_cls, path=routes.HOME_FOR_ROLE[role])
        event = run(state, name, *args, **kwargs)
        if refused_as_bad_input(event):
            continue
        # A value of the right type may be accepted, but only as the page would send it.
        assert all(type(value) in (int, str, bool, dict) for value in args), (name, args, event)
