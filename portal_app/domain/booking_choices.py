"""What the booking wizard may offer at each step, from the provider's availability.

Only what a provider's availability allows is offered: a location appears when some block (or
upcoming extra hours) there allows a service the client may book; a forum when such a block
offers it (telehealth also needs the practice and the service to allow it); a service when such a
block lists it. Steps with nothing to choose disappear rather than showing dead ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from portal_app.domain.availability_inputs import (
    BookingChoice,
    BookingPolicy,
    Offer,
    ServiceRule,
)
from portal_app.domain.vocabulary import Forum

_FORUM_ORDER = (Forum.IN_PERSON, Forum.TELEHEALTH)


@dataclass(frozen=True, slots=True)
class BookingChoices:
    """The wizard's options: locations, then forums per location, then services per both.

    Ids keep the order given: locations by id, services in the order of the services list.
    """

    locations: tuple[int, ...]
    service_ids_by_place: dict[tuple[int, Forum], tuple[int, ...]]

    def forums(self, location_id: int) -> tuple[Forum, ...]:
        """The forums offered at ``location_id`` (in-person first)."""
        return tuple(forum for forum in _FORUM_ORDER if (location_id, forum) in self.service_ids_by_place)

    def services(self, location_id: int, forum: Forum) -> tuple[int, ...]:
        """The services offered at ``location_id`` in ``forum``."""
        return self.service_ids_by_place.get((location_id, forum), ())


def booking_choices(
    *,
    offers: Iterable[Offer],
    services: Sequence[ServiceRule],
    policy: BookingPolicy,
    is_new_client: bool,
) -> BookingChoices:
    """The options at each wizard step for one provider.

    Args:
        offers: What each of the provider's current blocks and upcoming extra hours allows.
        services: The practice's services, in the order the wizard lists them.
        policy: The practice's rules (telehealth on or off).
        is_new_client: Whether the client is new to the practice.

    Returns:
        The choices; empty when the provider offers nothing this client may book.
    """
    offers = list(offers)
    found: dict[tuple[int, Forum], list[int]] = {}
    for service in services:
        for offer in offers:
            if service.service_id not in offer.service_ids:
                continue
            for forum in _FORUM_ORDER:
                choice = BookingChoice(service, offer.location_id, forum, is_new_client)
                if not offer.has_forum(forum) or not choice.permitted_by(policy):
                    continue
                listed = found.setdefault((offer.location_id, forum), [])
                if service.service_id not in listed:
                    listed.append(service.service_id)
    return BookingChoices(
        locations=tuple(sorted({location_id for location_id, _ in found})),
        service_ids_by_place={place: tuple(ids) for place, ids in found.items()},
    )
