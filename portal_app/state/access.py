"""The one way a public event handler is written: who may call it, what it accepts, off the loop.

Any connected browser can call any public handler of any state, with any arguments; Reflex does
not enforce type hints. So every public handler is declared with ``@requires(roles...)`` (signed
in, one of these roles) or ``@open_to_all`` (no sign-in), and both decorators:

- bind the arguments to the handler's own signature (missing, extra or unknown ones are refused),
- validate them with pydantic in strict mode against the handler's annotations, so ``"9" * 25``,
  ``"²"``, ``True`` or a list never reach the body where an ``int`` is declared,
- and for ``@requires`` look the session up (in a worker thread) and pass the ``Viewer`` in as the
  body's first argument; ids always come from it, never from the arguments.

A refusal changes nothing: an unknown session goes to sign-in, a wrong role to its own home page,
bad arguments get a plain message. Bodies reach the database only through ``in_worker``, so a
handler waiting on a lock never freezes the other tabs served by the same worker.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import logging
import typing
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, TypeVar

import pydantic
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints

from portal_app.database import open_session
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.vocabulary import Role

logger = logging.getLogger(__name__)
Result = TypeVar("Result")

# Arguments a browser sends, as the pages send them. Strict: no str → int guessing, no bools.
RecordId = Annotated[int, Field(strict=True, gt=0, lt=2**53)]
"""The id of a row the page shows (an appointment, a message, a clinician)."""


def _one_step(value: int) -> int:
    if value not in (-1, 1):
        raise ValueError("a step is -1 or +1")
    return value


Step = Annotated[int, Field(strict=True), AfterValidator(_one_step)]
"""Back (-1) or forward (+1), e.g. a week."""
Epoch = Annotated[int, Field(strict=True, gt=0, lt=4_102_444_800)]
"""An instant in whole seconds since 1970 (before 2100)."""
Minutes = Annotated[int, Field(strict=True, gt=0, le=24 * 60)]
"""A length in minutes, at most a day."""
Choice = Annotated[str, StringConstraints(strict=True, max_length=64)]
"""A value from a list the server offered (checked against that list by the handler)."""
Flag = Annotated[bool, Field(strict=True)]
"""On or off, e.g. a dialog's ``open``."""


class Form(pydantic.BaseModel):
    """A submitted form: fields the page does not ask for are ignored, the rest validated."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class MessageForm(Form):
    """A form with one optional message to another person (decline, cancel, withdraw)."""

    message: Annotated[str, StringConstraints(max_length=MAX_MESSAGE_LENGTH, strip_whitespace=True)] = ""


# Writes wait on locks (a clinician's row lock, SQLite's BEGIN IMMEDIATE): a burst of Submits
# for one clinician could occupy every thread of the default pool (cores + 4), and then each
# tab's access check and every page's reads would wait behind them. Writes get threads of their
# own; with the default pool that stays within the database pool (5 + 10 overflow connections).
_WRITES = ThreadPoolExecutor(max_workers=8, thread_name_prefix="portal-writes")


async def in_worker(service: Callable[..., Result], /, *, writing: bool = False, **arguments: Any) -> Result:
    """Run ``service(session=..., **arguments)`` in a worker thread, in a session of its own.

    Args:
        service: A service function taking a keyword-only ``session``.
        writing: Open the session for a read-check-write transaction (SQLite ``BEGIN IMMEDIATE``).
        **arguments: The service's other keyword arguments.

    Returns:
        What the service returned.
    """

    def call() -> Result:
        with open_session(for_writing=writing) as session:
            return service(session=session, **arguments)

    if writing:
        # Apart from the reads: they must not queue behind writes waiting for a lock.
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(_WRITES, context.run, call)
    return await asyncio.to_thread(call)


def requires(*roles: Role, activity: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a handler for signed-in people of ``roles`` (any role when none are given).

    The body is ``async def name(self, viewer, <arguments>)``: a coroutine returning events (or
    None), or an async generator yielding them.

    ``activity=False`` for what a page does by itself (a refresh pushed or polled): it does not
    count as the person's activity, so it never keeps an idle staff session alive.
    """
    return functools.partial(_handler, roles=frozenset(roles), signed_in=True, activity=activity)


def open_to_all(body: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a handler anyone may call, signed in or not; its arguments are still validated."""
    return _handler(body, roles=frozenset(), signed_in=False)


def _handler(
    body: Callable[..., Any], *, roles: frozenset[Role], signed_in: bool, activity: bool = True
) -> Callable[..., Any]:
    signature = inspect.signature(body)
    parameters = list(signature.parameters.values())
    # The browser sees (self, <arguments>); the viewer is the server's, never an argument.
    public = parameters[:1] + parameters[2 if signed_in else 1 :]
    arguments_model = _arguments_model(body, public[1:])
    public_signature = signature.replace(
        parameters=[parameter.replace(annotation=inspect.Parameter.empty) for parameter in public],
        return_annotation=inspect.Signature.empty,
    )

    @functools.wraps(body)
    async def handler(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        viewer = None
        if signed_in:
            viewer = await self._signed_in_viewer(roles, activity=activity)
            if viewer is None:
                yield self._refusal()
                return
        try:
            bound = public_signature.bind(self, *args, **kwargs)
            values = dict(arguments_model.model_validate(dict(list(bound.arguments.items())[1:])))
        except (TypeError, pydantic.ValidationError) as error:
            # Names and error kinds only: the values may be anything, including secrets.
            logger.warning(
                "Refused an event with arguments its handler does not take: %s (%s)",
                body.__qualname__,
                _error_kinds(error),
            )
            yield self._bad_input()
            return
        leading = (self, viewer) if signed_in else (self,)
        outcome = body(*leading, **values)
        if inspect.isasyncgen(outcome):
            async for update in outcome:
                yield update
        else:
            update = await outcome
            if update is not None:
                yield update

    # Reflex reads the handler's parameters from the signature and would coerce arguments by
    # the annotations; validation is ours, so it sees the public parameters and no annotations.
    handler.__signature__ = public_signature  # type: ignore[attr-defined]
    handler.__annotations__ = {}
    handler.__access__ = (roles, signed_in)  # type: ignore[attr-defined]
    return handler


def _arguments_model(
    body: Callable[..., Any], parameters: list[inspect.Parameter]
) -> type[pydantic.BaseModel]:
    hints = typing.get_type_hints(body, include_extras=True)
    fields: dict[str, Any] = {}
    for parameter in parameters:
        if parameter.name not in hints:
            raise TypeError(f"{body.__qualname__}: argument {parameter.name!r} needs a type")
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[parameter.name] = (hints[parameter.name], default)
    return pydantic.create_model(
        f"{body.__qualname__}Arguments",
        __config__=ConfigDict(strict=True, extra="forbid", arbitrary_types_allowed=False),
        **fields,
    )


def _error_kinds(error: Exception) -> str:
    if isinstance(error, pydantic.ValidationError):
        return ", ".join(sorted({f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in error.errors()}))
    # From binding the arguments: it names them ("unexpected keyword argument 'x'"), not values.
    return str(error)[:200]


def access_of(handler: Callable[..., Any]) -> tuple[frozenset[Role], bool] | None:
    """Who may call a handler declared here: (roles, needs sign-in); None if undeclared."""
    return getattr(handler, "__access__", None)
