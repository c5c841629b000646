"""Availability engine benchmark: prints figures, asserts nothing.

Builds a SQLite file database in a temporary directory (one practice with clinicians whose
history is 1, 2 and 8 years long, and a second practice with 50 clinicians), then measures:

1. One clinician, one week, 2 years of history: week computations per second, counted two
   ways: the pure computation given loaded inputs (build the schedule, then the week grid with
   the bookable starts of every allowed length), and the whole ``services.availability.week_grid``
   call including its database reads.
2. The 50-clinician practice, one month, all clinicians: ``practice_bookable_slots`` (below, built
   on the service's loaders, which read every clinician with one query per table) end to end.
3. Cost against window length (1, 4, 16 weeks) and history length (1, 2, 8 years) for
   ``bookable_slots`` end to end: it should follow the window, not the history.

Run: ``.venv/bin/python bench/availability.py`` (pins itself to one CPU core).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlmodel import Session, SQLModel, create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal_app import models as m
from portal_app.domain.availability import bookable_start_seconds, build_schedule
from portal_app.domain.availability_inputs import BookingChoice, BookingPolicy, ServiceRule
from portal_app.domain.epoch_seconds import from_epoch_seconds
from portal_app.domain.week_grid import build_week_grid, week_window
from portal_app.services.availability import SlotRequest, bookable_slots, check_bookable, week_grid
from portal_app.services.availability.loaders import load_availability, load_policy_and_service

ZONE_NAME = "America/New_York"
ZONE = ZoneInfo(ZONE_NAME)
NOW = datetime(2026, 4, 1, 16, 0, tzinfo=UTC)
FIRST_WEEK = date(2026, 4, 6)  # the Monday after NOW
FUTURE_BOOKED_WEEKS = 20  # clients book ahead: the windows measured are as busy as the past
SESSIONS_PER_DAY = 5  # of 8 possible; four working days a week: about 20 a week
HOURLY_STARTS = (9, 10, 11, 12, 14, 15, 16, 17)
PRACTICE_SETTINGS = {
    "time_zone": ZONE_NAME,
    "minimum_notice_hours": 24,
    "booking_horizon_days": 120,
    "slot_increment_minutes": 15,
    "buffer_minutes": 10,
    "telehealth_enabled": True,
}


def seed_practice(session: Session, name: str) -> tuple[m.Practice, m.Location, m.Service, list[m.Client]]:
    practice = m.Practice(name=name, **PRACTICE_SETTINGS)
    session.add(practice)
    session.flush()
    office = m.Location(practice_id=practice.id, name="Main Office")
    individual = m.Service(
        practice_id=practice.id,
        name="Individual Therapy",
        durations_minutes=[50, 80],
        new_clients_allowed=True,
    )
    couples = m.Service(practice_id=practice.id, name="Couples Therapy", durations_minutes=[80])
    session.add_all([office, individual, couples])
    clients = [
        m.Client(practice_id=practice.id, full_name=f"Client {n}", email=f"c{n}@{practice.id}.test")
        for n in range(200)
    ]
    session.add_all(clients)
    session.flush()
    return practice, office, individual, clients


def seed_clinician(
    session: Session,
    practice: m.Practice,
    office: m.Location,
    service: m.Service,
    clients: list[m.Client],
    *,
    slug: str,
    history_years: int,
    rng: random.Random,
) -> m.Clinician:
    """A clinician working Mon-Thu 9-13 and 14-18, with weekly sessions since ``history_years`` ago."""
    user = m.User(email=f"{slug}@bench.test", password_hash="-", role=m.Role.CLINICIAN, display_name=slug)
    session.add(user)
    session.flush()
    clinician = m.Clinician(practice_id=practice.id, user_id=user.id, display_name=slug, slug=slug)
    session.add(clinician)
    session.flush()
    for start, end in ((clock(9), clock(13)), (clock(14), clock(18))):
        session.add(
            m.AvailabilityBlock(
                clinician_id=clinician.id,
                location_id=office.id,
                weekdays=[0, 1, 2, 3],
                start_local=start,
                end_local=end,
                valid_from=FIRST_WEEK - timedelta(weeks=52 * history_years + 1),
                in_person=True,
                telehealth=True,
                service_ids=[service.id],
            )
        )
    rows = []
    first_monday = FIRST_WEEK - timedelta(weeks=52 * history_years)
    for week in range(52 * history_years + FUTURE_BOOKED_WEEKS):
        for weekday in range(4):
            day = first_monday + timedelta(weeks=week, days=weekday)
            for hour in rng.sample(HOURLY_STARTS, SESSIONS_PER_DAY):
                starts_at = datetime.combine(day, clock(hour), ZONE)
                past = starts_at < NOW
                rows.append(
                    {
                        "practice_id": practice.id,
                        "clinician_id": clinician.id,
                        "client_id": rng.choice(clients).id,
                        "service_id": service.id,
                        "location_id": office.id,
                        "forum": m.Forum.IN_PERSON,
                        "starts_at": starts_at,
                        "ends_at": starts_at + timedelta(minutes=50),
                        "status": _status(rng, past=past),
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                )
    session.execute(insert(m.Appointment), rows)
    return clinician


def _status(rng: random.Random, *, past: bool) -> m.AppointmentStatus:
    roll = rng.random()
    if past:
        return m.AppointmentStatus.COMPLETED if roll < 0.85 else m.AppointmentStatus.CANCELLED
    if roll < 0.7:
        return m.AppointmentStatus.CONFIRMED
    return m.AppointmentStatus.REQUESTED if roll < 0.9 else m.AppointmentStatus.WITHDRAWN


def practice_bookable_slots(
    *,
    session: Session,
    practice_id: int,
    service_id: int,
    location_id: int,
    forum: m.Forum,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    is_new_client: bool,
    duration_minutes: int | None = None,
) -> dict[int, list[datetime]]:
    """Bookable start times of every clinician of a practice (e.g. a month), in five queries.

    Returns:
        Clinician id to start times (aware UTC, in order); every clinician is present.
    """
    clinician_ids = list(
        session.scalars(
            select(m.Clinician.id).where(m.Clinician.practice_id == practice_id).order_by(m.Clinician.id)
        )
    )
    # Every clinician of the practice shares its policy; the service must belong to it.
    policy, service = load_policy_and_service(session, clinician_id=clinician_ids[0], service_id=service_id)
    loaded = load_availability(
        session=session,
        clinician_ids=clinician_ids,
        policy=policy,
        window_start=window_start,
        window_end=window_end,
        reach=timedelta(minutes=max(service.durations_minutes)),
    )
    choice = BookingChoice(service, location_id, forum, is_new_client)
    minutes = duration_minutes or service.durations_minutes[0]
    # Clinicians share most start instants (the same increments of the same days), so each
    # datetime is built once and shared: that is most of the cost of a large practice's month.
    shared: dict[int, datetime] = {}
    slots: dict[int, list[datetime]] = {}
    for clinician_id, inputs in loaded.items():
        schedule = build_schedule(
            blocks=inputs.blocks,
            extra_hours=inputs.extra_hours,
            time_off=inputs.time_off,
            busy=inputs.busy,
            policy=policy,
            window_start=window_start,
            window_end=window_end,
            now=now,
        )
        slots[clinician_id] = [
            shared.get(start) or shared.setdefault(start, from_epoch_seconds(start))
            for start in bookable_start_seconds(schedule, choice, minutes)
        ]
    return slots


def calls_per_second(action: Callable[[], object], *, seconds: float = 1.0, repeats: int = 5) -> float:
    """Best of ``repeats`` runs of about ``seconds`` each (other load only ever slows a run)."""
    best = 0.0
    for _ in range(repeats):
        count = 0
        started = time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            action()
            count += 1
        best = max(best, count / elapsed)
    return best


def median_ms(action: Callable[[], object], *, runs: int = 25) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{folder}/bench.db")
        SQLModel.metadata.create_all(engine)
        started = time.perf_counter()
        with Session(engine) as session:
            practice, office, service, clients = seed_practice(session, "Solo Practice")
            by_history = {
                years: seed_clinician(
                    session,
                    practice,
                    office,
                    service,
                    clients,
                    slug=f"solo-{years}y",
                    history_years=years,
                    rng=rng,
                ).id
                for years in (1, 2, 8)
            }
            group, group_office, group_service, group_clients = seed_practice(session, "Group Practice")
            for n in range(50):
                seed_clinician(
                    session,
                    group,
                    group_office,
                    group_service,
                    group_clients,
                    slug=f"group-{n}",
                    history_years=2,
                    rng=rng,
                )
            session.commit()
            ids = {
                "practice": practice.id,
                "office": office.id,
                "service": service.id,
                "group": group.id,
                "group_office": group_office.id,
                "group_service": group_service.id,
            }
        appointments = _count(engine)
        seconds = time.perf_counter() - started
        print(f"Seeded {appointments:,} appointments in {seconds:.1f} s into {folder}/bench.db")
        with Session(engine) as session:
            report(session, ids, by_history)


def _count(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(m.Appointment))


def report(session: Session, ids: dict[str, int], by_history: dict[int, int]) -> None:
    clinician_id = by_history[2]
    policy = BookingPolicy(**PRACTICE_SETTINGS)
    rule = ServiceRule(ids["service"], (50, 80), True, True, True)
    choice = BookingChoice(rule, ids["office"], m.Forum.IN_PERSON, is_new_client=False)
    weeks = [FIRST_WEEK + timedelta(weeks=n) for n in range(8)]
    windows = {first_day: week_window(first_day=first_day, display_zone=ZONE_NAME) for first_day in weeks}
    loaded = {
        first_day: load_availability(
            session=session,
            clinician_ids=[clinician_id],
            policy=policy,
            window_start=start,
            window_end=end,
            reach=timedelta(minutes=80),
        )[clinician_id]
        for first_day, (start, end) in windows.items()
    }
    busy_per_week = statistics.mean(len(item.busy) for item in loaded.values())
    week_cycle = iter(int(n) for n in range(10**9))

    def pure_week() -> None:
        first_day = weeks[next(week_cycle) % len(weeks)]
        start, end = windows[first_day]
        inputs = loaded[first_day]
        schedule = build_schedule(
            blocks=inputs.blocks,
            extra_hours=inputs.extra_hours,
            time_off=inputs.time_off,
            busy=inputs.busy,
            policy=policy,
            window_start=start,
            window_end=end,
            now=NOW,
        )
        build_week_grid(schedule, choice, display_zone=ZONE_NAME)

    def slot_request(clinician: int, *, viewer_client_id: int | None = None) -> SlotRequest:
        # Built in every timed call, as the app does.
        return SlotRequest(
            clinician_id=clinician,
            service_id=ids["service"],
            location_id=ids["office"],
            forum=m.Forum.IN_PERSON,
            is_new_client=False,
            viewer_client_id=viewer_client_id,
        )

    def service_week() -> None:
        week_grid(
            session=session,
            slot_request=slot_request(clinician_id, viewer_client_id=1),
            first_day=weeks[next(week_cycle) % len(weeks)],
            display_zone=ZONE_NAME,
            now=NOW,
        )

    def check_one() -> None:
        starts_at = datetime.combine(FIRST_WEEK + timedelta(days=1), clock(13), ZONE)
        check_bookable(
            session=session,
            slot_request=slot_request(clinician_id),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=50),
            now=NOW,
        )

    def group_month() -> None:
        practice_bookable_slots(
            session=session,
            practice_id=ids["group"],
            service_id=ids["group_service"],
            location_id=ids["group_office"],
            forum=m.Forum.IN_PERSON,
            window_start=datetime.combine(FIRST_WEEK, clock(0), ZONE),
            window_end=datetime.combine(FIRST_WEEK + timedelta(days=30), clock(0), ZONE),
            now=NOW,
            is_new_client=False,
        )

    pure_rate = calls_per_second(pure_week)
    service_rate = calls_per_second(service_week)
    check_ms = median_ms(check_one, runs=200)
    group_ms = median_ms(group_month)
    print()
    print(f"One clinician, 2 years of history, {busy_per_week:.0f} busy sessions in a week, 8 weeks in turn:")
    print(f"  pure week computation (schedule + grid + starts of both lengths): {pure_rate:,.0f} /s")
    print(f"  week_grid() including its 4 database queries:                     {service_rate:,.0f} /s")
    print(f"  check_bookable() including its 4 database queries:                {check_ms:.2f} ms")
    print(f"50-clinician practice, one month, all clinicians (practice_bookable_slots): {group_ms:.1f} ms")
    print()
    print("bookable_slots() end to end, median ms, by window and history length:")
    history_years = sorted(by_history)
    print("| window | " + " | ".join(f"{years} y history" for years in history_years) + " |")
    print("|---|" + "---|" * len(history_years))
    for window_weeks in (1, 4, 16):
        cells = []
        for years in history_years:

            def slots(clinician=by_history[years], window_weeks=window_weeks) -> None:
                bookable_slots(
                    session=session,
                    slot_request=slot_request(clinician),
                    window_start=datetime.combine(FIRST_WEEK, clock(0), ZONE),
                    window_end=datetime.combine(FIRST_WEEK + timedelta(weeks=window_weeks), clock(0), ZONE),
                    now=NOW,
                )

            cells.append(f"{median_ms(slots):.2f}")
        print(f"| {window_weeks} week{'s' if window_weeks > 1 else ''} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
