"""The request/offer workflow as a pure transition table (domain brief, section 4).

draft -> submitted -> under_review -> validated -> partially_matched -> matched -> closed,
plus rejected (with a reason; the owner may revise and resubmit) and withdrawn.
The matched states are set by the match lifecycle (role `system`), never by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal[
    "draft",
    "submitted",
    "under_review",
    "validated",
    "partially_matched",
    "matched",
    "closed",
    "rejected",
    "withdrawn",
]
Action = Literal[
    "submit",
    "start_review",
    "validate",
    "reject",
    "revise",
    "withdraw",
    "close",
    "mark_partially_matched",
    "mark_matched",
    "mark_unmatched",
]
# owner_focal_point: a focal point of the owning organisation (only they act on its behalf);
# owner_editor: any focal point or editor of the owner; secretariat; system: the platform itself.
Role = Literal["owner_focal_point", "owner_editor", "secretariat", "system"]

ACTIONS: tuple[Action, ...] = (
    "submit",
    "start_review",
    "validate",
    "reject",
    "revise",
    "withdraw",
    "close",
    "mark_partially_matched",
    "mark_matched",
    "mark_unmatched",
)


@dataclass(frozen=True)
class Transition:
    source: Status
    action: Action
    target: Status
    roles: frozenset[Role]


def _t(source: Status, action: Action, target: Status, *roles: Role) -> Transition:
    return Transition(source, action, target, frozenset(roles))


TRANSITIONS: tuple[Transition, ...] = (
    _t("draft", "submit", "submitted", "owner_focal_point", "secretariat"),
    _t("submitted", "start_review", "under_review", "secretariat"),
    _t("submitted", "validate", "validated", "secretariat"),
    _t("under_review", "validate", "validated", "secretariat"),
    _t("submitted", "reject", "rejected", "secretariat", "system"),
    _t("under_review", "reject", "rejected", "secretariat"),
    _t("rejected", "revise", "draft", "owner_editor", "owner_focal_point", "secretariat"),
    _t("draft", "withdraw", "withdrawn", "owner_focal_point"),
    _t("submitted", "withdraw", "withdrawn", "owner_focal_point"),
    _t("under_review", "withdraw", "withdrawn", "owner_focal_point"),
    _t("validated", "withdraw", "withdrawn", "owner_focal_point"),
    _t("partially_matched", "withdraw", "withdrawn", "owner_focal_point"),
    _t("validated", "close", "closed", "owner_focal_point", "secretariat"),
    _t("partially_matched", "close", "closed", "owner_focal_point", "secretariat"),
    _t("matched", "close", "closed", "owner_focal_point", "secretariat"),
    _t("validated", "mark_partially_matched", "partially_matched", "system"),
    _t("matched", "mark_partially_matched", "partially_matched", "system"),
    _t("validated", "mark_matched", "matched", "system"),
    _t("partially_matched", "mark_matched", "matched", "system"),
    _t("partially_matched", "mark_unmatched", "validated", "system"),
    _t("matched", "mark_unmatched", "validated", "system"),
)

_BY_KEY: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TRANSITIONS}

# Statuses in which the owner may still edit the content (the Secretariat may always edit).
OWNER_EDITABLE: frozenset[str] = frozenset({"draft", "submitted", "rejected"})
# Statuses the matching engine considers.
MATCHABLE: frozenset[str] = frozenset({"validated", "partially_matched"})


def edit_refusal(status: str, roles: frozenset[Role], *, noun: str) -> str | None:
    """Why the holder of `roles` may not edit a `noun` in `status` now, or None when they may."""
    if "secretariat" in roles:
        return None
    if "owner_editor" not in roles:
        return f"You may not edit this {noun}"
    if status not in OWNER_EDITABLE:
        return f"A {status.replace('_', ' ')} {noun} is edited by the Secretariat only"
    return None


def transition_for(status: str, action: str) -> Transition | None:
    """The transition `action` performs from `status`, or None when the action is not allowed there."""
    return _BY_KEY.get((status, action))


def can_transition(status: str, action: str, roles: frozenset[Role]) -> bool:
    transition = transition_for(status, action)
    return transition is not None and bool(transition.roles & roles)


def allowed_actions(status: str, roles: frozenset[Role]) -> list[Action]:
    """Actions the holder of `roles` may take now, in table order (what the UI offers as buttons)."""
    actions: list[Action] = []
    for transition in TRANSITIONS:
        if transition.source == status and transition.roles & roles and transition.action not in actions:
            actions.append(transition.action)
    return actions
