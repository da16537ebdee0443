"""The match lifecycle as a pure transition table (domain brief, section 4).

proposed -> consent_pending -> consented | declined | expired -> under_discussion -> agreed -> planning
-> in_progress -> fulfilled; plus suspended (and back) and cancelled. The consent outcomes are reached by the
platform (`system`) from the parties' decisions; nothing is ever approved automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal[
    "proposed",
    "consent_pending",
    "consented",
    "declined",
    "expired",
    "under_discussion",
    "agreed",
    "planning",
    "in_progress",
    "fulfilled",
    "suspended",
    "cancelled",
]
Action = Literal[
    "request_consent",
    "all_consented",
    "consent_declined",
    "consent_expired",
    "consent_withdrawn",
    "start_discussion",
    "agree",
    "start_planning",
    "start_implementation",
    "fulfil",
    "suspend",
    "resume",
    "cancel",
    "revise",
]
# secretariat; facilitator: a UNHCR office facilitating the match (or covering a requesting country);
# party_focal_point: a focal point of a party; system: the platform, from consents and deadlines.
Role = Literal["secretariat", "facilitator", "party_focal_point", "system"]

# `resume` goes back to where the match was suspended; `revise` restarts consent (see target_of).
PREVIOUS = "(previous)"
RESTART = "(restart consent)"

STAFF: frozenset[Role] = frozenset({"secretariat", "facilitator"})
WITH_PARTIES: frozenset[Role] = frozenset({"secretariat", "facilitator", "party_focal_point"})
SYSTEM: frozenset[Role] = frozenset({"system"})

ACTIVE_BEFORE_AGREEMENT = ("consented", "under_discussion")
LIVE = ("consented", "under_discussion", "agreed", "planning", "in_progress")


@dataclass(frozen=True)
class Transition:
    source: str
    action: Action
    target: str
    roles: frozenset[Role]


def _many(sources: tuple[str, ...], action: Action, target: str, roles: frozenset[Role]) -> list[Transition]:
    return [Transition(source, action, target, roles) for source in sources]


TRANSITIONS: tuple[Transition, ...] = (
    Transition("proposed", "request_consent", "consent_pending", STAFF),
    Transition("consent_pending", "all_consented", "consented", SYSTEM),
    Transition("consent_pending", "consent_declined", "declined", SYSTEM),
    Transition("consent_pending", "consent_expired", "expired", SYSTEM),
    *_many(ACTIVE_BEFORE_AGREEMENT, "consent_withdrawn", "consent_pending", SYSTEM),
    Transition("consented", "start_discussion", "under_discussion", WITH_PARTIES),
    *_many(ACTIVE_BEFORE_AGREEMENT, "agree", "agreed", WITH_PARTIES),
    Transition("agreed", "start_planning", "planning", STAFF),
    Transition("planning", "start_implementation", "in_progress", WITH_PARTIES),
    Transition("in_progress", "fulfil", "fulfilled", STAFF),
    *_many(LIVE, "suspend", "suspended", STAFF),
    Transition("suspended", "resume", PREVIOUS, STAFF),
    *_many(("proposed", "consent_pending", *LIVE, "suspended"), "cancel", "cancelled", STAFF),
    *_many(
        ("proposed", "consent_pending", "consented", "under_discussion", "declined", "expired"),
        "revise",
        RESTART,
        STAFF,
    ),
)

_BY_KEY: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TRANSITIONS}

# Statuses in which parties may still grant or decline consent.
CONSENT_OPEN = frozenset({"consent_pending"})
# Statuses from which parties see each other in full (once every party consented).
DISCLOSING = frozenset(
    {"consented", "under_discussion", "agreed", "planning", "in_progress", "fulfilled", "suspended", "cancelled"}
)
# Statuses in which a match holds an offer's capacity and covers request components.
ENGAGED = frozenset({"consented", "under_discussion", "agreed", "planning", "in_progress"})
COVERING = frozenset({"agreed", "planning", "in_progress", "fulfilled"})
# The public portal shows matches from planning on (with every party's consent to publish).
PUBLISHABLE = frozenset({"planning", "in_progress", "fulfilled"})
PUBLIC_STAGE = {"planning": "planning", "in_progress": "in_progress", "fulfilled": "fulfilled"}


def transition_for(status: str, action: str) -> Transition | None:
    return _BY_KEY.get((status, action))


def target_of(transition: Transition, *, status_before_suspension: str | None, was_proposed: bool) -> str:
    if transition.target == PREVIOUS:
        return status_before_suspension or "consented"
    if transition.target == RESTART:
        return "proposed" if was_proposed else "consent_pending"
    return transition.target


def can_transition(status: str, action: str, roles: frozenset[Role]) -> bool:
    transition = transition_for(status, action)
    return transition is not None and bool(transition.roles & roles)


def allowed_actions(status: str, roles: frozenset[Role]) -> list[Action]:
    """What the holder of `roles` may do now by hand (system outcomes excluded), in table order."""
    actions: list[Action] = []
    for transition in TRANSITIONS:
        if (
            transition.source == status
            and transition.roles & roles
            and transition.roles != SYSTEM
            and transition.action not in actions
        ):
            actions.append(transition.action)
    return actions
