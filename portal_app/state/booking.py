"""The booking wizard: Provider → Location → Forum → Service → Availability → Save → Submit.

The browser only suggests; every choice is checked against lists the server built, and Save and
Submit re-check the time with the availability engine (Submit inside the request transaction).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from portal_app.database import open_session
from portal_app.domain.calendar_view import calendar_view, locate
from portal_app.domain.vocabulary import Forum, Role
from portal_app.services import availability
from portal_app.services.auth import Viewer
from portal_app.services.booking_catalog import booking_catalog
from portal_app.state.session import SessionState

FORUM_LABELS = {Forum.IN_PERSON.value: "In-person", Forum.TELEHEALTH.value: "Telehealth"}
NO_PROVIDERS = "Online requests are not available right now. Please call the practice to book."


def _options(names: dict[int, str], ids) -> list[dict[str, str]]:
    return [{"value": str(i), "label": names[i]} for i in ids if i in names]


def _id_in(value: object, allowed: list[dict[str, str]]) -> int | None:
    """``value`` as an id if it is one of the offered options, else None."""
    if isinstance(value, str) and value in {option["value"] for option in allowed}:
        return int(value)
    return None


class BookingWizardState(SessionState):
    """One client's request in progress."""

    is_open: bool = False
    step: str = "choose"  # choose → review → done
    notice: str = ""
    providers: list[dict[str, str]] = []
    locations: list[dict[str, str]] = []
    forums: list[dict[str, str]] = []
    services: list[dict[str, str]] = []
    provider_id: str = ""
    location_id: str = ""
    forum: str = ""
    service_id: str = ""
    week_start: str = ""
    week_label: str = ""
    zone_label: str = ""
    calendar: dict = {}
    selected: dict = {}
    selected_start: int = 0
    selected_minutes: int = 0
    selection_label: str = ""
    error: str = ""
    submitting: bool = False
    summary: dict[str, str] = {}

    _catalog_names: dict[str, dict[int, str]] = {}
    _slugs: dict[str, int] = {}
    _places: dict[str, list[int]] = {}
    _request_key: str = ""

    # --- opening -------------------------------------------------------------------------

    @rx.event
    def open_new(self):
        """Start a new request from the first step."""
        viewer = self._client()
        if viewer is None:
            return self._refusal()
        self._start(viewer)
        return None

    @rx.event
    def open_for_provider(self, slug: str):
        """Start a new request with the provider of a direct booking link chosen."""
        viewer = self._client()
        if viewer is None:
            return self._refusal()
        self._start(viewer)
        clinician_id = self._slugs.get(slug) if isinstance(slug, str) else None
        if clinician_id is None and self.providers:
            self.notice = "That booking link is not open for online requests. Please choose a provider."
            return None
        if clinician_id is None:
            return None
        self._choose_provider(viewer, str(clinician_id))
        return None

    @rx.event
    def set_is_open(self, is_open: bool):
        """Close the wizard (opening goes through ``open_new``)."""
        if not is_open:
            self.is_open = False

    def _client(self) -> Viewer | None:
        viewer = self._require_user(Role.CLIENT)
        return viewer if viewer is not None and viewer.client_id is not None else None

    def _start(self, viewer: Viewer) -> None:
        with open_session() as session:
            catalog = booking_catalog(session=session, practice_id=viewer.practice_id)
        self._catalog_names = {
            "providers": catalog.providers,
            "locations": catalog.locations,
            "services": catalog.services,
        }
        self._slugs = catalog.provider_slugs
        self.providers = _options(catalog.providers, catalog.providers)
        self._reset_from("provider")
        self.step, self.summary, self.submitting = "choose", {}, False
        self.notice = "" if self.providers else NO_PROVIDERS
        self._request_key = secrets.token_urlsafe(24)
        self.is_open = True
        if len(self.providers) == 1:
            self._choose_provider(viewer, self.providers[0]["value"])

    def _reset_from(self, step: str) -> None:
        """Clear the choices from ``step`` on, since they may no longer fit."""
        order = ["provider", "location", "forum", "service", "time"]
        for name in order[order.index(step) :]:
            if name == "provider":
                self.provider_id, self.locations, self._places = "", [], {}
            elif name == "location":
                self.location_id, self.forums = "", []
            elif name == "forum":
                self.forum, self.services = "", []
            elif name == "service":
                self.service_id, self.calendar, self.week_start = "", {}, ""
            else:
                self.selected, self.selected_start, self.selected_minutes = {}, 0, 0
                self.selection_label = ""
        self.error = ""

    # --- the steps -----------------------------------------------------------------------

    @rx.event
    def choose_provider(self, value: str):
        """Provider chosen: offer the locations where they have bookable time."""
        viewer = self._client()
        if viewer is None:
            return self._refusal()
        self._choose_provider(viewer, value)
        return None

    def _choose_provider(self, viewer: Viewer, value: object) -> None:
        clinician_id = _id_in(value, self.providers)
        self._reset_from("provider")
        if clinician_id is None:
            return
        with open_session() as session:
            choices = availability.wizard_choices(
                session=session, clinician_id=clinician_id, is_new_client=False, now=self._now()
            )
        self.provider_id = str(clinician_id)
        self._places = {
            f"{loc}:{forum.value}": list(ids) for (loc, forum), ids in choices.service_ids_by_place.items()
        }
        self.locations = _options(self._catalog_names["locations"], choices.locations)
        if not self.locations:
            self.error = "This provider has no times open for online requests right now."
        elif len(self.locations) == 1:
            self._choose_location(self.locations[0]["value"])

    @rx.event
    def choose_location(self, value: str):
        """Location chosen: offer the forums there (skipped when only one)."""
        if self._client() is None:
            return self._refusal()
        self._choose_location(value)
        return None

    def _choose_location(self, value: object) -> None:
        location_id = _id_in(value, self.locations)
        self._reset_from("location")
        if location_id is None:
            return
        self.location_id = str(location_id)
        offered = [forum for forum in FORUM_LABELS if f"{location_id}:{forum}" in self._places]
        self.forums = [{"value": forum, "label": FORUM_LABELS[forum]} for forum in offered]
        if len(self.forums) == 1:
            self._choose_forum(self.forums[0]["value"])

    @rx.event
    def choose_forum(self, value: str):
        """Forum chosen: offer the services the provider's blocks allow here."""
        if self._client() is None:
            return self._refusal()
        self._choose_forum(value)
        return None

    def _choose_forum(self, value: object) -> None:
        self._reset_from("forum")
        if not isinstance(value, str) or value not in {option["value"] for option in self.forums}:
            return
        self.forum = value
        ids = self._places.get(f"{self.location_id}:{value}", [])
        self.services = _options(self._catalog_names["services"], ids)

    def _pick_service(self, value: object) -> None:
        service_id = _id_in(value, self.services)
        self._reset_from("service")
        if service_id is not None:
            self.service_id = str(service_id)

    # --- the calendar --------------------------------------------------------------------

    def _zone(self, viewer: Viewer) -> ZoneInfo:
        return ZoneInfo(self._display_zone(viewer))

    def _today(self, viewer: Viewer) -> date:
        return self._now().astimezone(self._zone(viewer)).date()

    def _choice(self) -> dict:
        return {
            "clinician_id": int(self.provider_id),
            "service_id": int(self.service_id),
            "location_id": int(self.location_id),
            "forum": Forum(self.forum),
        }

    def _show_week(self, viewer: Viewer, first_day: date) -> None:
        zone = self._display_zone(viewer)
        try:
            with open_session() as session:
                grid = availability.week_grid(
                    session=session,
                    slot_request=availability.SlotRequest(
                        **self._choice(), is_new_client=False, viewer_client_id=viewer.client_id
                    ),
                    first_day=first_day,
                    display_zone=zone,
                    now=self._now(),
                )
        except LookupError:
            # The provider or service changed under the open wizard: start the choice again.
            self._reset_from("provider")
            self.error = "This provider or service is no longer available online. Please choose again."
            return
        view = calendar_view(grid)
        self.calendar = view.as_props()
        self.week_start = first_day.isoformat()
        last_day = first_day + timedelta(days=6)
        self.week_label = f"{first_day:%b} {first_day.day} – {last_day:%b} {last_day.day}, {last_day.year}"
        self.zone_label = f"{zone.replace('_', ' ')} ({datetime.now(ZoneInfo(zone)):%Z})"
        # Keep the chosen time only while the week shown still offers it.
        self.selected = locate(self.calendar, self.selected_start, self.selected_minutes) or {}
        if not self.selected:
            self.selected_start, self.selected_minutes, self.selection_label = 0, 0, ""
