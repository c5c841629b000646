"""Provider → Location → Forum → Service: the choices before the calendar, as the server offers them.

Shared by the signed-in booking wizard and the public one for new clients: the same lists, built
from the same catalog and the same engine's choices, each checked against what was offered.
"""

from __future__ import annotations

import reflex as rx

from portal_app.domain.calendar_view import CalendarView
from portal_app.domain.vocabulary import Forum
from portal_app.services import availability
from portal_app.services.booking_catalog import Catalog
from portal_app.state import wording
from portal_app.state.access import in_worker
from portal_app.state.rows import Option

FORUM_LABELS = {Forum.IN_PERSON: "In-person", Forum.TELEHEALTH: "Telehealth"}
_STEPS = ("provider", "location", "forum", "service", "time")


class BookingChoices(rx.State, mixin=True):
    """The choices offered and made so far (ids as the strings the selects send back).

    Mixed in before ``WeekPicker`` and ``SessionState``, whose ``_now``, ``_clear_time``,
    ``_assign_changed``, ``_forget_lengths``, ``calendar`` and ``week_start`` it uses.
    """

    providers: list[Option] = []
    locations: list[Option] = []
    forums: list[Option] = []
    services: list[Option] = []
    provider_id: str = ""
    location_id: str = ""
    forum: str = ""
    service_id: str = ""
    error: str = ""

    _names: dict[str, dict[int, str]] = {}
    _slugs: dict[str, int] = {}
    _places: dict[str, list[int]] = {}

    def _for_new_client(self) -> bool:
        """Whether the choices are a new client's (services open to new clients only)."""
        raise NotImplementedError

    def _offer(self, catalog: Catalog) -> None:
        """Start from the catalog's providers, nothing chosen."""
        self._names = {"providers": catalog.providers, "locations": catalog.locations}
        self._names["services"] = catalog.services
        self._slugs = catalog.provider_slugs
        self.providers = Option.listed(catalog.providers, catalog.providers)
        self._reset_from("provider")

    def _reset_from(self, step: str) -> None:
        """Clear the choices from ``step`` on, since they may no longer fit."""
        cleared: dict[str, object] = {"error": ""}
        for name in _STEPS[_STEPS.index(step) :]:
            if name == "provider":
                cleared |= {"provider_id": "", "locations": []}
                self._places = {}
            elif name == "location":
                cleared |= {"location_id": "", "forums": []}
            elif name == "forum":
                cleared |= {"forum": "", "services": []}
            elif name == "service":
                # The week is the biggest var: re-sent only when it really changes.
                cleared |= {"service_id": "", "calendar": CalendarView(), "week_start": ""}
                self._forget_lengths()
            else:
                self._clear_time()
        self._assign_changed(**cleared)

    async def _choose_provider(self, value: str) -> None:
        """Provider chosen: offer the locations where they have bookable time."""
        clinician_id = Option.chosen(value, self.providers)
        self._reset_from("provider")
        if clinician_id is None:
            return
        choices = await in_worker(
            availability.wizard_choices,
            clinician_id=clinician_id,
            is_new_client=self._for_new_client(),
            now=self._now(),
        )
        self.provider_id = str(clinician_id)
        self._places = {
            f"{loc}:{forum.value}": list(ids) for (loc, forum), ids in choices.service_ids_by_place.items()
        }
        self.locations = Option.listed(self._names["locations"], choices.locations)
        if not self.locations:
            self.error = wording.PROVIDER_HAS_NO_TIMES
        elif len(self.locations) == 1:
            self._choose_location(self.locations[0].value)

    def _choose_location(self, value: str) -> None:
        """Location chosen: offer the forums there (skipped when only one)."""
        location_id = Option.chosen(value, self.locations)
        self._reset_from("location")
        if location_id is None:
            return
        self.location_id = str(location_id)
        offered = [forum for forum in FORUM_LABELS if f"{location_id}:{forum.value}" in self._places]
        self.forums = [Option(value=forum.value, label=FORUM_LABELS[forum]) for forum in offered]
        if len(self.forums) == 1:
            self._choose_forum(self.forums[0].value)

    def _choose_forum(self, value: str) -> None:
        """Forum chosen: offer the services the provider's blocks allow here."""
        self._reset_from("forum")
        if value not in {option.value for option in self.forums}:
            return
        self.forum = value
        ids = self._places.get(f"{self.location_id}:{value}", [])
        self.services = Option.listed(self._names["services"], ids)

    def _choose_service(self, value: str) -> bool:
        """Service chosen (one of those offered): the calendar may be shown."""
        service_id = Option.chosen(value, self.services)
        self._reset_from("service")
        if service_id is None:
            return False
        self.service_id = str(service_id)
        return True
