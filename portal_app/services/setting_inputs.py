"""What staff type on the Settings page, checked at the services' edge; and what an edit did.

Each editing service validates its input with a pydantic model built from the field types here.
A refused field is reported as a code (``Problem``) with its bounds, never as a sentence: the
page puts ``state.wording``'s words for it beside the field. The database's CHECK constraints
hold the same bounds (``domain.setting_limits``), for anything that does not come through here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Annotated, TypeVar
from urllib.parse import urlsplit

import pydantic
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from portal_app.domain.setting_limits import (
    MAX_NAME,
    MAX_PHONE,
    MAX_SERVICE_LENGTHS,
    MAX_VIDEO_LINK,
    MAX_ZONE,
    SERVICE_LENGTH,
    SLOT_INCREMENTS,
    WholeRange,
    is_phone_number,
    service_lengths,
)
from portal_app.domain.time_display import valid_zone


class EditOutcome(enum.StrEnum):
    """What an edit on the Settings page did."""

    SAVED = "saved"
    ADDED = "added"
    UNCHANGED = "unchanged"
    RETIRED = "retired"
    RESTORED = "restored"
    # Refusals: nothing was changed.
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"


class Problem(enum.StrEnum):
    """Why one field was refused."""

    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"
    NOT_AN_INCREMENT = "not_an_increment"
    UNKNOWN_ZONE = "unknown_zone"
    NOT_A_PHONE = "not_a_phone"
    NOT_HTTPS = "not_https"
    BAD_LENGTHS = "bad_lengths"
    NAME_TAKEN = "name_taken"
    INVALID = "invalid"


@dataclass(frozen=True)
class FieldProblem:
    """A refused field: the ``problem`` and the numbers its message needs (low, high, ...)."""

    problem: Problem
    limits: tuple[int, ...] = ()


@dataclass(frozen=True)
class EditResult:
    """``outcome``, the refused fields by name (``INVALID``), and the row added or changed."""

    outcome: EditOutcome
    problems: dict[str, FieldProblem] = field(default_factory=dict)
    record_id: int | None = None

    @property
    def ok(self) -> bool:
        """Whether the edit was made (or there was nothing to change)."""
        return self.outcome not in (EditOutcome.INVALID, EditOutcome.NOT_FOUND, EditOutcome.NOT_ALLOWED)


NOT_ALLOWED = EditResult(EditOutcome.NOT_ALLOWED)
NOT_FOUND = EditResult(EditOutcome.NOT_FOUND)


def refused_fields(**problems: FieldProblem) -> EditResult:
    """A refusal naming the fields that are wrong."""
    return EditResult(EditOutcome.INVALID, problems=dict(problems))


def _refuse(problem: Problem, *limits: int) -> PydanticCustomError:
    return PydanticCustomError(problem.value, problem.value, {"limits": limits})


def _whole(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text.removeprefix("-")
        if digits.isascii() and digits.isdigit() and len(digits) <= 30:
            return int(text)
    raise _refuse(Problem.NOT_A_NUMBER)


WholeNumber = Annotated[int, BeforeValidator(_whole)]
"""A whole number typed as text (or given as an int); bound it with ``within``."""


def within(bounds: WholeRange) -> AfterValidator:
    """Refuse a whole number outside ``bounds.low`` … ``bounds.high``."""

    def check(value: int) -> int:
        if value not in bounds:
            raise _refuse(Problem.OUT_OF_RANGE, bounds.low, bounds.high)
        return value

    return AfterValidator(check)


def _increment(value: int) -> int:
    if value not in SLOT_INCREMENTS:
        raise _refuse(Problem.NOT_AN_INCREMENT, *SLOT_INCREMENTS)
    return value


SlotIncrement = Annotated[int, BeforeValidator(_whole), AfterValidator(_increment)]


def _on_off(value: object) -> bool:
    # A switch in a submitted form sends "on" when on and nothing when off.
    if value is True or value == "on":
        return True
    if value is False or value in ("", "off", None):
        return False
    raise _refuse(Problem.INVALID)


OnOff = Annotated[bool, BeforeValidator(_on_off)]


def cleaned_text(max_length: int, *, required: bool = False) -> BeforeValidator:
    """Text without surrounding spaces, at most ``max_length`` characters (and not empty)."""

    def cleaned(value: object) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise _refuse(Problem.INVALID)
        value = value.strip()
        if required and not value:
            raise _refuse(Problem.REQUIRED)
        if len(value) > max_length or "\x00" in value:
            raise _refuse(Problem.TOO_LONG, max_length)
        return value

    return BeforeValidator(cleaned)


def _zone(value: str) -> str:
    if valid_zone(value) is None:
        raise _refuse(Problem.UNKNOWN_ZONE)
    return value


def _phone(value: str) -> str:
    if value and not is_phone_number(value):
        raise _refuse(Problem.NOT_A_PHONE)
    return value


def _https_link(value: str) -> str:
    if not value:
        return value
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme != "https" or "." not in host or any(c.isspace() for c in value) or parts.username:
        raise _refuse(Problem.NOT_HTTPS)
    return value


def _lengths(value: object) -> tuple[int, ...]:
    if isinstance(value, str):
        try:
            return service_lengths(value)
        except ValueError:
            pass
    raise _refuse(Problem.BAD_LENGTHS, SERVICE_LENGTH.low, SERVICE_LENGTH.high, MAX_SERVICE_LENGTHS)


Name = Annotated[str, cleaned_text(MAX_NAME, required=True)]
"""A name people read (a service, a location, a clinician)."""
ZoneName = Annotated[str, cleaned_text(MAX_ZONE, required=True), AfterValidator(_zone)]
"""An IANA time zone name, exactly as the IANA database spells it."""
PhoneNumber = Annotated[str, cleaned_text(MAX_PHONE), AfterValidator(_phone)]
"""A phone number, or nothing."""
HttpsLink = Annotated[str, cleaned_text(MAX_VIDEO_LINK), AfterValidator(_https_link)]
"""An ``https://`` address with a host name, or nothing."""
ServiceLengths = Annotated[tuple[int, ...], BeforeValidator(_lengths)]
"""A service's lengths typed as ``"50, 80"``: shortest first, each once."""


class SettingsInput(pydantic.BaseModel):
    """The base of every Settings form's model: unknown fields are ignored, values frozen."""

    model_config = pydantic.ConfigDict(extra="ignore", frozen=True)


Model = TypeVar("Model", bound=SettingsInput)


def validated(model: type[Model], values: object) -> tuple[Model | None, dict[str, FieldProblem]]:
    """``values`` as ``model``, or None and the problem of each refused field."""
    if not isinstance(values, dict):
        return None, {"": FieldProblem(Problem.INVALID)}
    try:
        return model.model_validate(values), {}
    except pydantic.ValidationError as error:
        return None, _problems(error)


def _problems(error: pydantic.ValidationError) -> dict[str, FieldProblem]:
    found: dict[str, FieldProblem] = {}
    known = {problem.value for problem in Problem}
    for detail in error.errors():
        name = str(detail["loc"][0]) if detail["loc"] else ""
        kind = detail["type"]
        if kind in known:
            problem = Problem(kind)
        else:
            problem = Problem.REQUIRED if kind == "missing" else Problem.INVALID
        limits = tuple((detail.get("ctx") or {}).get("limits", ()))
        found.setdefault(name, FieldProblem(problem, limits))
    return found
