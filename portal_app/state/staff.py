"""Who the staff pages' handlers are for."""

from __future__ import annotations

from portal_app.domain.vocabulary import Role

STAFF_ROLES = (Role.CLINICIAN, Role.ADMIN)
