"""The match transition table, as a pure unit."""

from __future__ import annotations

from api.matches import workflow
from api.models.matches import MATCH_STATUSES


class TestMatchTransitionTable:
    def test_transitions_join_known_statuses(self) -> None:
        for transition in workflow.TRANSITIONS:
            assert transition.source in MATCH_STATUSES
            assert transition.target in (*MATCH_STATUSES, workflow.PREVIOUS, workflow.RESTART)

    def test_consent_outcomes_are_reached_only_by_the_platform(self) -> None:
        for action in ("all_consented", "consent_declined", "consent_expired", "consent_withdrawn"):
            for status in MATCH_STATUSES:
                assert not workflow.can_transition(
                    status, action, frozenset({"secretariat", "facilitator", "party_focal_point"})
                )

    def test_only_staff_ask_for_consent(self) -> None:
        assert workflow.can_transition("proposed", "request_consent", frozenset({"facilitator"}))
        assert not workflow.can_transition("proposed", "request_consent", frozenset({"party_focal_point"}))

    def test_resume_returns_to_the_suspended_stage(self) -> None:
        transition = workflow.transition_for("suspended", "resume")
        assert transition is not None
        assert workflow.target_of(transition, status_before_suspension="planning", was_proposed=False) == "planning"

    def test_revision_restarts_consent_unless_only_proposed(self) -> None:
        transition = workflow.transition_for("consented", "revise")
        assert transition is not None
        assert workflow.target_of(transition, status_before_suspension=None, was_proposed=False) == "consent_pending"
        assert workflow.target_of(transition, status_before_suspension=None, was_proposed=True) == "proposed"

    def test_nothing_moves_a_fulfilled_or_cancelled_match(self) -> None:
        everyone = frozenset({"secretariat", "facilitator", "party_focal_point", "system"})
        assert workflow.allowed_actions("fulfilled", everyone) == []  # type: ignore[arg-type]
        assert workflow.allowed_actions("cancelled", everyone) == []  # type: ignore[arg-type]

    def test_publishable_stages_are_planning_and_later(self) -> None:
        assert {"planning", "in_progress", "fulfilled"} == workflow.PUBLISHABLE
