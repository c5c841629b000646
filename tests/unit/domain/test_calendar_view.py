"""The week grid laid out for the browser calendar."""

from datetime import UTC, date, datetime, time

from sqlmodel import Session

from portal_app.domain.calendar_view import calendar_view, day_headings, locate
from portal_app.domain.time_display import clock_label
from portal_app.domain.vocabulary import Forum
from portal_app.services.availability import SlotRequest, week_grid
from tests.factories import make_block, make_clinician, make_location, make_practice, make_service


# The whole day but its last quarter hour: a stored block ends after it starts (a CHECK constraint).
def _grid(session: Session, *, first_day: date, zone: str, block_hours=(time(0, 0), time(23, 45))):
    practice = make_practice(session, minimum_notice_hours=0, booking_horizon_days=365)
    clinician = make_clinician(session, practice, slug="view")
    location = make_location(session, practice)
    service = make_service(session, practice, durations_minutes=[50])
    make_block(
        session,
        clinician,
        location,
        [service],
        weekdays=list(range(7)),
        start_local=block_hours[0],
        end_local=block_hours[1],
    )
    return week_grid(
        session=session,
        slot_request=SlotRequest(
            clinician_id=clinician.id,
            service_id=service.id,
            location_id=location.id,
            forum=Forum.IN_PERSON,
            is_new_client=False,
        ),
        first_day=first_day,
        display_zone=zone,
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_every_free_cell_can_be_located_and_others_cannot(db_session):
    view = calendar_view(
        _grid(
            db_session, first_day=date(2026, 3, 2), zone="America/New_York", block_hours=(time(9), time(17))
        )
    )

    assert view.has_free_time
    assert [row.label for row in view.rows[:2]] == ["9:00 AM", "9:15 AM"]
    for d, states in enumerate(view.states):
        for r, state in enumerate(states):
            found = locate(view, view.starts[d][r], 50)
            assert (found is not None) == (state == "free")
    assert locate(view, view.starts[0][0], 51) is None


def test_the_repeated_hour_of_a_fall_back_night_keeps_one_cell_per_row(db_session):
    # Sunday 1 November 2026, New York: 1:00–2:00 AM happens twice.
    view = calendar_view(_grid(db_session, first_day=date(2026, 11, 1), zone="America/New_York"))
    first_day_starts = [start for start in view.starts[0] if start]

    assert len(first_day_starts) == len(set(first_day_starts))
    one_am = view.rows.index(next(row for row in view.rows if row.label == "1:00 AM"))
    assert datetime.fromtimestamp(view.starts[0][one_am], UTC).hour == 5  # 1:00 EDT, the first one


def test_clock_labels():
    assert [clock_label(time(h, m)) for h, m in [(0, 0), (9, 5), (12, 30), (23, 45)]] == [
        "12:00 AM",
        "9:05 AM",
        "12:30 PM",
        "11:45 PM",
    ]


def test_day_headings_write_dates_as_the_portal_does_and_name_each_days_zone():
    days = [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)]

    headings = day_headings(days, "America/New_York")

    assert [heading.long for heading in headings] == [
        "Sat, Oct 31, 2026",
        "Sun, Nov 1, 2026",
        "Mon, Nov 2, 2026",
    ]
    assert [heading.short for heading in headings] == ["Sat 31", "Sun 1", "Mon 2"]
    # The clocks go back on Nov 1 at 2:00 AM: from that day the cells are in EST.
    assert [heading.zone for heading in headings] == ["EDT", "EST", "EST"]
    assert day_headings(days)[0].zone == ""
