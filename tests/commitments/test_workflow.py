"""The request/offer transition table, as a pure unit."""

from __future__ import annotations

import pytest

from api.commitments import workflow
from api.models.commitments import COMMITMENT_STATUSES


class TestTransitionTable:
    def test_every_transition_joins_known_statuses(self) -> None:
        for transition in workflow.TRANSITIONS:
            assert transition.source in COMMITMENT_STATUSES
            assert transition.target in COMMITMENT_STATUSES
            assert transition.roles

    def test_no_action_is_ambiguous_from_one_status(self) -> None:
        keys = [(t.source, t.action) for t in workflow.TRANSITIONS]
        assert len(keys) == len(set(keys))

    def test_only_the_owners_focal_point_submits_or_withdraws(self) -> None:
        assert workflow.can_transition("draft", "submit", frozenset({"owner_focal_point"}))
        assert not workflow.can_transition("draft", "submit", frozenset({"owner_editor"}))
        assert workflow.can_transition("validated", "withdraw", frozenset({"owner_focal_point"}))
        assert not workflow.can_transition("validated", "withdraw", frozenset({"secretariat"}))

    def test_only_the_secretariat_validates_and_rejects(self) -> None:
        for action in ("validate", "reject"):
            assert workflow.can_transition("submitted", action, frozenset({"secretariat"}))
            assert not workflow.can_transition("submitted", action, frozenset({"owner_focal_point", "owner_editor"}))

    @pytest.mark.parametrize("status", ["closed", "withdrawn"])
    def test_terminal_statuses_allow_nothing(self, status: str) -> None:
        everyone = frozenset({"owner_focal_point", "owner_editor", "secretariat", "system"})
        assert workflow.allowed_actions(status, everyone) == []  # type: ignore[arg-type]

    def test_matched_states_are_reached_by_the_system_only(self) -> None:
        people = frozenset({"owner_focal_point", "owner_editor", "secretariat"})
        for action in ("mark_partially_matched", "mark_matched", "mark_unmatched"):
            assert all(not workflow.can_transition(s, action, people) for s in COMMITMENT_STATUSES)  # type: ignore[arg-type]

    def test_allowed_actions_list_the_buttons_in_table_order(self) -> None:
        assert workflow.allowed_actions("submitted", frozenset({"secretariat"})) == [
            "start_review",
            "validate",
            "reject",
        ]
