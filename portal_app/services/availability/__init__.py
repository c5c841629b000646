"""Free time of clinicians, loaded from the database: exactly what one window needs.

Every query is bounded by the window and served by an index, so the cost follows the window,
never the length of a clinician's history.

- ``slot_request``: ``SlotRequest``, the question (clinician, service, location, forum, client);
- ``use_cases``: the answers — ``bookable_slots``, ``week_grid``, ``check_bookable`` and
  ``wizard_choices``;
- ``loaders``: rows turned into the pure engine's inputs, for one clinician or many at once;
- ``queries``: the SQL statements, built once.
"""

from portal_app.services.availability.slot_request import SlotRequest
from portal_app.services.availability.use_cases import (
    bookable_slots,
    check_bookable,
    week_grid,
    wizard_choices,
)

__all__ = ["SlotRequest", "bookable_slots", "check_bookable", "week_grid", "wizard_choices"]
