"""What a new client's details must be: the model the client service validates with. Pure.

The service receives what a person typed and validates it here; each refusal is a code per
field (``ClientProblem``), and ``state.wording`` gives the sentence shown beside that field.
"""

from __future__ import annotations

import enum
import re
from typing import Annotated

import pydantic
from pydantic import AfterValidator, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from portal_app.domain.accounts import MAX_NAME_LENGTH, MAX_PHONE_LENGTH, email_problem

MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15  # E.164

# Digits and the marks people write phone numbers with: +1 (617) 555-0148, 617.555.0148.
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")


class ClientProblem(enum.StrEnum):
    """Why a value typed for a client was refused."""

    NAME_EMPTY = "name_empty"
    NAME_TOO_LONG = "name_too_long"
    EMAIL_EMPTY = "email_empty"
    EMAIL_INVALID = "email_invalid"
    EMAIL_TAKEN = "email_taken"
    PHONE_INVALID = "phone_invalid"


def _refuse(problem: ClientProblem) -> PydanticCustomError:
    return PydanticCustomError(problem.value, problem.value)


def _text(value: object) -> object:
    # Strings only (no numbers turned into names); spaces around and inside runs are not kept.
    return " ".join(value.split()) if isinstance(value, str) else value


def _check_name(name: str) -> str:
    if not name:
        raise _refuse(ClientProblem.NAME_EMPTY)
    if len(name) > MAX_NAME_LENGTH:
        raise _refuse(ClientProblem.NAME_TOO_LONG)
    return name


def _check_email(email: str) -> str:
    email = email.lower()
    if not email:
        raise _refuse(ClientProblem.EMAIL_EMPTY)
    if email_problem(email) is not None:
        raise _refuse(ClientProblem.EMAIL_INVALID)
    return email


def _check_phone(phone: str) -> str:
    if not phone:
        return ""
    digits = sum(character.isdigit() for character in phone)
    if (
        len(phone) > MAX_PHONE_LENGTH
        or not _PHONE.match(phone)
        or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS
    ):
        raise _refuse(ClientProblem.PHONE_INVALID)
    return phone


ClientName = Annotated[str, BeforeValidator(_text), AfterValidator(_check_name)]
"""A client's full name, spaces tidied."""
ClientEmail = Annotated[str, BeforeValidator(_text), AfterValidator(_check_email)]
"""A client's email, lower-cased."""
ClientPhone = Annotated[str, BeforeValidator(_text), AfterValidator(_check_phone)]
"""A client's phone as typed (tidied), or empty."""


class NewClient(pydantic.BaseModel):
    """A client to add to a practice: a name, an email to reach them, optionally a phone.

    Attributes:
        full_name: The client's name, spaces tidied.
        email: Their email, lower-cased (emails compare case-insensitively).
        phone: Their phone, as typed (tidied), or empty.
    """

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    full_name: ClientName
    email: ClientEmail
    phone: ClientPhone = ""


_NOT_TEXT = {
    "full_name": ClientProblem.NAME_EMPTY,
    "email": ClientProblem.EMAIL_INVALID,
    "phone": ClientProblem.PHONE_INVALID,
}


def valid_email(email: object) -> str | None:
    """``email`` as a client's email is stored (lower-cased), or None if it is not one."""
    try:
        return _EMAIL_ADAPTER.validate_python(email, strict=True)
    except pydantic.ValidationError:
        return None


_EMAIL_ADAPTER: pydantic.TypeAdapter[str] = pydantic.TypeAdapter(ClientEmail)


def client_problems(error: pydantic.ValidationError) -> dict[str, ClientProblem]:
    """The first problem of each refused field of ``NewClient``, by field name."""
    problems: dict[str, ClientProblem] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        try:
            problem = ClientProblem(item["type"])
        except ValueError:
            # Not one of ours (a value that is not text at all): the field is simply not valid.
            problem = _NOT_TEXT.get(field, ClientProblem.NAME_EMPTY)
        problems.setdefault(field, problem)
    return problems
