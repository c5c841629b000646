"""A forged or malformed event never puts a cookie, a header or a traceback in the logs."""

from __future__ import annotations

import logging

import pytest
from reflex_base.event import Event
from reflex_base.event.processor import base_state_processor

from portal_app import routes
from portal_app.event_logs import backend_exception_handler
from portal_app.state.session import SessionState
from tests.security.conftest import call_as_reflex_does
from tests.state.conftest import Browser, refused_as_bad_input

SESSION = "the-whole-session-token-of-someone"
COOKIE = f"{routes.SESSION_COOKIE}={SESSION}; {routes.BROWSER_COOKIE}=their-browser-secret"
EVENT_LOGGER = "reflex_base.event.processor.event_processor"


def forged_event(name: str, **payload) -> Event:
    """An event as Reflex holds it once received: router data carries the socket's headers."""
    headers = {"host": "portal.test", "cookie": COOKIE, "origin": "http://portal.test"}
    return Event(name=name, router_data={"pathname": "/", "headers": headers}, payload=payload)


def assert_no_secrets(caplog) -> None:
    logged = caplog.text + "".join(str(record.exc_info) for record in caplog.records)
    assert SESSION not in logged
    assert "their-browser-secret" not in logged
    assert "Traceback" not in logged


def test_an_event_for_an_unknown_handler_is_one_warning_without_headers(caplog):
    event = forged_event("reflex___state____state.no_such_handler")

    # Exactly what Reflex's event queue logs when no handler has the event's name.
    try:
        raise KeyError(f"No registered handler found for event: {event.name}")
    except KeyError:
        logging.getLogger(EVENT_LOGGER).exception(f"Error processing event queue entry for {event} [txid=1]:")

    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert (
        record.getMessage()
        == "Refused an event for an unknown handler: 'reflex___state____state.no_such_handler'"
    )
    assert record.exc_info is None
    assert_no_secrets(caplog)


def test_a_cookie_in_any_other_event_log_line_is_blanked(caplog):
    logging.getLogger(base_state_processor.__name__).warning("Odd event %s", forged_event("x.y"))

    assert "'cookie': '[redacted]'" in caplog.text
    assert_no_secrets(caplog)


def test_arguments_a_handler_does_not_take_are_refused_plainly_without_a_traceback(caplog):
    state = Browser(cookie=COOKIE).state(SessionState, routes.APPOINTMENTS)

    answers = call_as_reflex_does(
        state, SessionState.event_handlers["set_browser_zone"], zone="UTC", extra=SESSION
    )

    assert len(answers) == 1
    assert refused_as_bad_input(answers[0])
    assert state.browser_zone == ""
    (record,) = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert record.levelno == logging.WARNING
    assert "set_browser_zone" in record.getMessage()
    assert "extra" in record.getMessage()
    assert_no_secrets(caplog)


def test_a_real_failure_is_an_error_with_a_traceback_but_no_cookie(caplog):
    def failing_handler():
        raise RuntimeError(f"could not use headers {{'cookie': '{COOKIE}'}}")

    try:
        failing_handler()
    except RuntimeError as error:
        answer = backend_exception_handler(error)

    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert "failing_handler" in record.getMessage()
    assert SESSION not in caplog.text
    assert answer is not None  # the page shows a short "something went wrong"


@pytest.fixture(autouse=True)
def _capture_everything(caplog):
    caplog.set_level(logging.INFO)
