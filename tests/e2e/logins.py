"""Who the browser flows sign in as: the demo logins, or others from the environment.

Each role reads ``PORTAL_<ROLE>_EMAIL`` and ``PORTAL_<ROLE>_PASSWORD`` (for example
``PORTAL_CLIENT_PASSWORD``), so the flows can run against a deployment whose demo accounts have
other passwords. The flows check the demo practice's names and appointments, so the accounts
must be the demo's (``python -m portal_app.seed --reset-demo`` restores them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from portal_app import routes
from portal_app.domain.vocabulary import Role
from portal_app.seed import DEMO_PASSWORD


@dataclass(frozen=True)
class Login:
    """An account the flows use, and the page it lands on after signing in."""

    role: str
    email: str
    password: str
    home: str


def _from_environment(role: str, *, email: str, kind: Role) -> Login:
    prefix = f"PORTAL_{role.upper()}_"
    return Login(
        role=role,
        email=os.environ.get(prefix + "EMAIL", email),
        password=os.environ.get(prefix + "PASSWORD", DEMO_PASSWORD),
        home=routes.HOME_FOR_ROLE[kind],
    )


CLIENT = _from_environment("client", email="alex.rivera@example.com", kind=Role.CLIENT)
SECOND_CLIENT = _from_environment("second_client", email="sam.taylor@example.com", kind=Role.CLIENT)
# The clinician the flows book with (open every day); the other one has the demo's own requests.
CLINICIAN = _from_environment("clinician", email="robin.park@example.org", kind=Role.CLINICIAN)
OTHER_CLINICIAN = _from_environment("other_clinician", email="maya.chen@example.org", kind=Role.CLINICIAN)
# A therapist whose only demo client is Sam Taylor (the Clients page's scope).
THIRD_CLINICIAN = _from_environment(
    "third_clinician", email="priya.natarajan@example.org", kind=Role.CLINICIAN
)
# A therapist no other flow signs in as: the two-factor flow turns it on and off for them.
TWO_FACTOR_CLINICIAN = _from_environment(
    "two_factor_clinician", email="jordan.alvarez@example.org", kind=Role.CLINICIAN
)
ADMIN = _from_environment("admin", email="office@example.org", kind=Role.ADMIN)
ALL = (CLIENT, SECOND_CLIENT, CLINICIAN, OTHER_CLINICIAN, THIRD_CLINICIAN, TWO_FACTOR_CLINICIAN, ADMIN)
