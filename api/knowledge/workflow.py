"""Publication of a knowledge item as a pure transition table.

draft -> in_review -> published -> archived (and back to published); the Secretariat may send an item in
review back to draft with a comment. Participants (focal points and editors of the author organisation) write
drafts and submit them; only the Secretariat publishes and archives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["draft", "in_review", "published", "archived"]
Action = Literal["submit", "return_to_draft", "publish", "archive", "republish"]
# owner_editor: a focal point or editor of the author organisation; secretariat: the ACSG Secretariat.
Role = Literal["owner_editor", "secretariat"]


@dataclass(frozen=True)
class Transition:
    source: Status
    action: Action
    target: Status
    roles: frozenset[Role]
    needs_comment: bool = False


def _t(source: Status, action: Action, target: Status, *roles: Role, needs_comment: bool = False) -> Transition:
    return Transition(source, action, target, frozenset(roles), needs_comment)


TRANSITIONS: tuple[Transition, ...] = (
    _t("draft", "submit", "in_review", "owner_editor", "secretariat"),
    _t("in_review", "return_to_draft", "draft", "secretariat", needs_comment=True),
    _t("in_review", "publish", "published", "secretariat"),
    _t("published", "archive", "archived", "secretariat"),
    _t("archived", "republish", "published", "secretariat"),
)
_BY_KEY: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TRANSITIONS}

# Statuses in which the author organisation may still edit (the Secretariat edits in any status).
OWNER_EDITABLE: frozenset[str] = frozenset({"draft"})


def transition_for(status: str, action: str) -> Transition | None:
    return _BY_KEY.get((status, action))


def can_transition(status: str, action: str, roles: frozenset[Role]) -> bool:
    transition = transition_for(status, action)
    return transition is not None and bool(transition.roles & roles)


def allowed_actions(status: str, roles: frozenset[Role]) -> list[Action]:
    return [t.action for t in TRANSITIONS if t.source == status and t.roles & roles]


def can_edit(status: str, roles: frozenset[Role]) -> bool:
    return "secretariat" in roles or ("owner_editor" in roles and status in OWNER_EDITABLE)
