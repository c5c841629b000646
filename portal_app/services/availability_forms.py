"""What the availability editor submits, validated at the edge of the services (pydantic).

The page sends its draft as plain values (``"09:00"``, ``"2026-12-01"``, ``"3"``); these models
parse them and check each field alone; ``problems_of`` then adds the rules between fields. Every
refusal is a ``FieldProblem`` code for one field, which the page shows beside that field. The
rules that need the database (the practice's own locations and services) live in
``availability_editing``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, time
from typing import Annotated, Any, TypeVar

import pydantic
from pydantic import BeforeValidator, ConfigDict, Field

MAX_EVERY_N_WEEKS = 12
MAX_TIME_OFF_DAYS = 366
MAX_NOTE_LENGTH = 240


class FieldProblem(enum.StrEnum):
    """Why one field of the editor's form was refused."""

    MISSING = "missing"
    BAD_DATE = "bad_date"
    BAD_TIME = "bad_time"
    NO_WEEKDAY = "no_weekday"
    END_NOT_AFTER_START = "end_not_after_start"
    EVERY_N_WEEKS_RANGE = "every_n_weeks_range"
    UNTIL_BEFORE_FROM = "until_before_from"
    LAST_BEFORE_FIRST = "last_before_first"
    RANGE_TOO_LONG = "range_too_long"
    NO_FORUM = "no_forum"
    NO_SERVICE = "no_service"
    UNKNOWN_LOCATION = "unknown_location"
    UNKNOWN_SERVICE = "unknown_service"
    ALREADY_PAST = "already_past"
    NOTE_TOO_LONG = "note_too_long"


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


OptionalDate = Annotated[date | None, BeforeValidator(_blank_is_none)]
OptionalTime = Annotated[time | None, BeforeValidator(_blank_is_none)]
Weekday = Annotated[int, Field(ge=0, le=6)]
Id = Annotated[int, Field(gt=0, lt=2**53)]


class _Draft(pydantic.BaseModel):
    # Lax: the page's values are strings ("3", "09:00"); unknown fields are ignored.
    model_config = ConfigDict(extra="ignore", frozen=True)


class BlockDraft(_Draft):
    """A recurring block: weekdays, local hours, repetition, validity and what it allows."""

    weekdays: list[Weekday] = Field(default_factory=list, max_length=7)
    start: time
    end: time
    every_n_weeks: int
    valid_from: date
    valid_until: OptionalDate = None
    location_id: Id
    in_person: bool = False
    telehealth: bool = False
    service_ids: list[Id] = Field(default_factory=list, max_length=100)


class TimeOffDraft(_Draft):
    """Time off: whole days (first to last, inclusive) or part of one day."""

    whole_days: bool = True
    first_day: date
    last_day: OptionalDate = None
    start: OptionalTime = None
    end: OptionalTime = None
    note: str = Field(default="", max_length=MAX_NOTE_LENGTH)


class ExtraHoursDraft(_Draft):
    """One-off extra hours on one day, with what they allow."""

    day: date
    start: time
    end: time
    location_id: Id
    in_person: bool = False
    telehealth: bool = False
    service_ids: list[Id] = Field(default_factory=list, max_length=100)
    note: str = Field(default="", max_length=MAX_NOTE_LENGTH)


# The problem a field's own parsing error stands for (its type decides: a date, a time...).
_PARSE_PROBLEMS: dict[str, FieldProblem] = {
    "start": FieldProblem.BAD_TIME,
    "end": FieldProblem.BAD_TIME,
    "valid_from": FieldProblem.BAD_DATE,
    "valid_until": FieldProblem.BAD_DATE,
    "first_day": FieldProblem.BAD_DATE,
    "last_day": FieldProblem.BAD_DATE,
    "day": FieldProblem.BAD_DATE,
    "every_n_weeks": FieldProblem.EVERY_N_WEEKS_RANGE,
    "location_id": FieldProblem.UNKNOWN_LOCATION,
    "service_ids": FieldProblem.UNKNOWN_SERVICE,
    "weekdays": FieldProblem.NO_WEEKDAY,
    "note": FieldProblem.NOTE_TOO_LONG,
}

Problems = dict[str, FieldProblem]
Model = TypeVar("Model", bound=_Draft)


def parse(model: type[Model], values: Mapping[str, object]) -> Model | Problems:
    """``values`` as ``model`` when every field and every rule between fields holds, else the problems."""
    try:
        draft = model.model_validate(dict(values))
    except pydantic.ValidationError as error:
        problems: Problems = {}
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else ""
            missing = item["type"] == "missing" or values.get(field) in ("", None)
            parse_problem = _PARSE_PROBLEMS.get(field, FieldProblem.MISSING)
            problems.setdefault(field, FieldProblem.MISSING if missing else parse_problem)
        return problems
    problems = problems_of(draft)
    return problems or draft


def problems_of(draft: _Draft) -> Problems:
    """The rules between fields (and the counts) that one field's type cannot express."""
    problems: Problems = {}
    if isinstance(draft, BlockDraft):
        if not draft.weekdays:
            problems["weekdays"] = FieldProblem.NO_WEEKDAY
        if not 1 <= draft.every_n_weeks <= MAX_EVERY_N_WEEKS:
            problems["every_n_weeks"] = FieldProblem.EVERY_N_WEEKS_RANGE
        if draft.valid_until is not None and draft.valid_until < draft.valid_from:
            problems["valid_until"] = FieldProblem.UNTIL_BEFORE_FROM
    if isinstance(draft, TimeOffDraft):
        if draft.whole_days:
            last = draft.last_day or draft.first_day
            if last < draft.first_day:
                problems["last_day"] = FieldProblem.LAST_BEFORE_FIRST
            elif (last - draft.first_day).days >= MAX_TIME_OFF_DAYS:
                problems["last_day"] = FieldProblem.RANGE_TOO_LONG
        else:
            for field in ("start", "end"):
                if getattr(draft, field) is None:
                    problems[field] = FieldProblem.MISSING
    if isinstance(draft, BlockDraft | ExtraHoursDraft):
        if not (draft.in_person or draft.telehealth):
            problems["forums"] = FieldProblem.NO_FORUM
        if not draft.service_ids:
            problems["service_ids"] = FieldProblem.NO_SERVICE
    start, end = getattr(draft, "start", None), getattr(draft, "end", None)
    if start is not None and end is not None and end <= start and "end" not in problems:
        problems["end"] = FieldProblem.END_NOT_AFTER_START
    return problems
