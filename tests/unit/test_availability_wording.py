"""Every code the availability editor's service answers with has words for a person."""

from __future__ import annotations

from portal_app.services.availability_editing import EditOutcome
from portal_app.services.availability_forms import FieldProblem
from portal_app.state import wording


def test_every_field_problem_and_edit_outcome_has_words():
    assert set(wording.AVAILABILITY_PROBLEMS) == set(FieldProblem)
    assert set(wording.AVAILABILITY_OUTCOMES) == set(EditOutcome)
    for text in [*wording.AVAILABILITY_PROBLEMS.values(), *wording.AVAILABILITY_OUTCOMES.values()]:
        assert text.strip()
        assert "{" not in text


def test_the_released_sessions_are_counted_in_words():
    assert wording.released_text(0) == ""
    assert "1 session was declined" in wording.released_text(1)
    assert "2 sessions were declined" in wording.released_text(2)
