"""Who can sign in to the demo practice: written by the seed, shown on the sign-in page in demo mode."""

from __future__ import annotations

from dataclasses import dataclass

from portal_app.domain.vocabulary import Role

DEMO_PASSWORD = "OakStreet-demo-2026"


@dataclass(frozen=True)
class DemoLogin:
    """A login printed for people trying the demo."""

    label: str
    email: str
    role: Role
    display_name: str
    password: str = DEMO_PASSWORD


DEMO_LOGINS = (
    DemoLogin("Client", "alex.rivera@example.com", Role.CLIENT, "Alex Rivera"),
    DemoLogin("Client", "sam.taylor@example.com", Role.CLIENT, "Sam Taylor"),
    DemoLogin("Therapist", "maya.chen@example.org", Role.CLINICIAN, "Dr. Maya Chen"),
    DemoLogin("Therapist", "jordan.alvarez@example.org", Role.CLINICIAN, "Jordan Alvarez"),
    DemoLogin("Therapist", "priya.natarajan@example.org", Role.CLINICIAN, "Priya Natarajan"),
    DemoLogin("Therapist", "robin.park@example.org", Role.CLINICIAN, "Robin Park"),
    DemoLogin("Practice admin", "office@example.org", Role.ADMIN, "Morgan Lee"),
)
