"""Manage Appointment: the booking wizard opened on one of the client's own appointments.

A pending request is changed in place; a confirmed appointment gets a request for a new time
that replaces it once the therapist accepts. The wizard's calendar leaves the appointment's own
time free (so it can be shifted a little) and opens on it, selected.
"""

from __future__ import annotations

import reflex as rx

from portal_app.domain.time_display import week_containing
from portal_app.domain.vocabulary import Role
from portal_app.services.appointment_requests import request_appointment
from portal_app.services.auth import Viewer
from portal_app.services.request_changes import ManagedAppointment, change_request, manageable_appointment
from portal_app.state import live_updates, wording
from portal_app.state.access import RecordId, in_worker, requires
from portal_app.state.booking import BookingWizardState


class ManageAppointmentState(BookingWizardState):
    """Opens the wizard on an appointment and saves the change (the rest is the wizard's)."""

    @rx.event
    @requires(Role.CLIENT)
    async def open_to_manage(self, viewer: Viewer, appointment_id: RecordId):
        """Open the wizard on one of the client's own pending requests or confirmed appointments."""
        managed = await in_worker(
            manageable_appointment, viewer=viewer, appointment_id=appointment_id, now=self._now()
        )
        await self._start(viewer)
        if managed is None or str(managed.clinician_id) not in {o.value for o in self.providers}:
            self._reset_from("provider")
            self.providers, self.notice = [], wording.NOT_MANAGEABLE
            return
        self.providers = [o for o in self.providers if o.value == str(managed.clinician_id)]
        self.purpose, self._managing_id = managed.purpose, managed.appointment_id
        await self._prefill(viewer, managed)

    async def _prefill(self, viewer: Viewer, managed: ManagedAppointment) -> None:
        await self._choose_provider(str(managed.clinician_id))
        if not self.location_id:
            self._choose_location(str(managed.location_id))
        if not self.forum:
            self._choose_forum(managed.forum.value)
        if str(managed.service_id) not in {o.value for o in self.services}:
            # The service is no longer offered there: the client chooses again from what is.
            return
        self.service_id = str(managed.service_id)
        await self._show_week(
            viewer, week_containing(self._local_day(viewer, managed.starts_at), self._today(viewer))
        )
        self._pick(viewer, int(managed.starts_at.timestamp()), managed.minutes)

    @rx.event
    @requires(Role.CLIENT)
    async def submit_change(self, viewer: Viewer):
        """Save changes (a pending request) or Request this time (a confirmed appointment)."""
        if self.submitting or self.step != "review" or not self._managing_id or not self.selected_start:
            return
        self.submitting = True
        yield
        try:
            choice = self._slot_request(viewer)
            common = {
                "viewer": viewer,
                "service_id": choice.service_id,
                "location_id": choice.location_id,
                "forum": choice.forum,
                "now": self._now(),
                **self._interval(),
            }
            if self.purpose == "change":
                result = await in_worker(
                    change_request, writing=True, appointment_id=self._managing_id, **common
                )
            else:
                result = await in_worker(
                    request_appointment,
                    writing=True,
                    clinician_id=choice.clinician_id,
                    request_key=self._request_key,
                    replaces_id=self._managing_id,
                    **common,
                )
        finally:
            self.submitting = False
        if not result.ok:
            yield await self._refused(viewer, wording.result_text(result))
            return
        self.step, self.notice = "done", wording.result_text(result)
        live_updates.push(result.concerns, origin=self)
