"""The progress report workflow as a pure transition table (domain brief, section 4).

not_yet_due -> due -> overdue (by the calendar) -> submitted -> attested -> accepted | sent_back -> published.
A sent-back report is edited and submitted again; each submission is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Action = Literal["become_due", "become_overdue", "submit", "attest", "accept", "send_back", "publish", "unpublish"]
# offering: a focal point of the offering party (or, for a pledge, of the reporting organisation);
# requesting: a focal point of a requesting party; reviewer: the Secretariat or a facilitating UNHCR office.
Role = Literal["offering", "requesting", "reviewer", "system"]

DRAFTING = frozenset({"not_yet_due", "due", "overdue", "sent_back"})


@dataclass(frozen=True)
class Transition:
    source: str
    action: Action
    target: str
    roles: frozenset[Role]


def _t(source: str, action: Action, target: str, *roles: Role) -> Transition:
    return Transition(source, action, target, frozenset(roles))


TRANSITIONS: tuple[Transition, ...] = (
    _t("not_yet_due", "become_due", "due", "system"),
    _t("due", "become_overdue", "overdue", "system"),
    *(_t(source, "submit", "submitted", "offering") for source in ("not_yet_due", "due", "overdue", "sent_back")),
    _t("submitted", "attest", "attested", "requesting"),
    # A report on a pledge has no requesting party to attest it: the reviewer accepts it once submitted
    # (the service checks which case applies).
    _t("submitted", "accept", "accepted", "reviewer"),
    _t("attested", "accept", "accepted", "reviewer"),
    _t("submitted", "send_back", "sent_back", "reviewer"),
    _t("attested", "send_back", "sent_back", "reviewer"),
    _t("accepted", "publish", "published", "reviewer"),
    _t("published", "unpublish", "accepted", "reviewer"),
)

_BY_KEY: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TRANSITIONS}


def transition_for(status: str, action: str) -> Transition | None:
    return _BY_KEY.get((status, action))


def allowed_actions(status: str, roles: frozenset[Role]) -> list[Action]:
    actions: list[Action] = []
    for transition in TRANSITIONS:
        manual = "system" not in transition.roles
        if transition.source == status and transition.roles & roles and manual and transition.action not in actions:
            actions.append(transition.action)
    return actions
