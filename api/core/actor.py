"""`Actor`: who is calling. Every service receives one; every visibility predicate reads one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Literal

ActorKind = Literal["anonymous", "user", "client", "system"]

UNHCR_KINDS = frozenset({"unhcr_country_office", "unhcr_bureau"})
STATE_KINDS = frozenset({"state_government", "state_institution"})


@dataclass(frozen=True)
class MembershipInfo:
    organisation_id: uuid.UUID
    organisation_kind: str
    role: str  # focal_point | editor | viewer
    country_iso3: str | None


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    user_id: uuid.UUID | None = None
    client_id: uuid.UUID | None = None
    label: str | None = None
    memberships: tuple[MembershipInfo, ...] = ()
    # Countries the caller's UNHCR offices and bureaux cover: they see confidential detail for these.
    unhcr_countries: frozenset[str] = frozenset()
    is_secretariat: bool = False
    # Integration clients act within scopes (e.g. `pledges:write`); users are not scope-limited (None).
    scopes: frozenset[str] | None = None
    preferred_language: str = "en"
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def is_authenticated(self) -> bool:
        return self.kind in ("user", "client", "system")

    @property
    def is_unhcr(self) -> bool:
        return any(m.organisation_kind in UNHCR_KINDS for m in self.memberships)

    @property
    def is_participant(self) -> bool:
        """Signed in and a member of a State or stakeholder organisation."""
        return any(m.organisation_kind not in UNHCR_KINDS | {"secretariat"} for m in self.memberships)

    @property
    def organisation_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(m.organisation_id for m in self.memberships)

    def organisations_with_role(self, *roles: str) -> frozenset[uuid.UUID]:
        return frozenset(m.organisation_id for m in self.memberships if m.role in roles)

    def is_focal_point_of(self, organisation_id: uuid.UUID) -> bool:
        return organisation_id in self.organisations_with_role("focal_point")

    def can_edit_for(self, organisation_id: uuid.UUID) -> bool:
        return organisation_id in self.organisations_with_role("focal_point", "editor")

    def covers_country(self, iso3: str | None) -> bool:
        return iso3 is not None and iso3 in self.unhcr_countries

    def has_scope(self, scope: str) -> bool:
        return self.scopes is None or scope in self.scopes


ANONYMOUS = Actor(kind="anonymous")
SYSTEM = Actor(kind="system", label="system", is_secretariat=True)
