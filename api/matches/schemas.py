"""Match views. Three readers, three shapes, as separate classes so a leak is a type error:

- `MatchFacilitatorView`: the Secretariat and the facilitating UNHCR offices: everything but nothing private
  to one party that is not theirs to see (they see it all).
- `MatchPartyView`: a party: its own part in full; each counterpart redacted (`CounterpartRedacted`: area,
  modality, support types, region, kind of organisation, languages) until every party consented, then in
  full (`CounterpartDisclosed`). Declined or expired matches stay redacted.
- `MatchPublicView`: the portal: published matches only, agreed public fields only.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.commitments.schemas import Attachment, Contact
from api.core.schemas import ReadModel, WriteModel
from api.matches.workflow import Action

MatchStatus = Literal[
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
ConsentStatus = Literal["pending", "granted", "declined", "withdrawn"]
Side = Literal["requesting", "offering"]
Text = Annotated[str, StringConstraints(max_length=10_000)]


# Writes


class ProposalItem(WriteModel):
    request_component_id: uuid.UUID
    offer_id: uuid.UUID


class MatchCreate(WriteModel):
    items: list[ProposalItem] = Field(min_length=1, max_length=50)
    justification: Text | None = Field(
        default=None, description="Required when a pair is not the top suggestion or fails a soft rule"
    )
    allocation_run_id: uuid.UUID | None = None
    public_summary: Text = ""


class MatchRevision(WriteModel):
    """A material change of the proposal: a new version, and every party is asked again."""

    items: list[ProposalItem] = Field(min_length=1, max_length=50)
    justification: Text | None = None
    public_summary: Text | None = None


class MatchTransition(WriteModel):
    reason: Text | None = None


class ConsentDecisionIn(WriteModel):
    party_id: uuid.UUID | None = Field(default=None, description="Needed when you represent several parties")
    decision: Literal["grant", "decline", "withdraw"]
    proposal_version: int = Field(ge=1, description="The version of the proposal you were shown")
    conditions: Text | None = None


class PublicationConsentIn(WriteModel):
    party_id: uuid.UUID | None = None
    consent: bool


class AgreementPledge(WriteModel):
    party_id: uuid.UUID
    pledge_id: uuid.UUID | None


class AgreementIn(WriteModel):
    scope: Annotated[str, StringConstraints(min_length=3, max_length=10_000)]
    modalities: list[Annotated[str, StringConstraints(max_length=64)]] = Field(default_factory=list, max_length=12)
    starts_on: date | None = None
    ends_on: date | None = None
    public_summary: Text | None = None
    pledges: list[AgreementPledge] = Field(default_factory=list, max_length=20)


class FacilitatorsIn(WriteModel):
    organisation_ids: list[uuid.UUID] = Field(max_length=10)


class NoteIn(WriteModel):
    body: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]


class NextActionIn(WriteModel):
    next_action: Annotated[str, StringConstraints(max_length=1_000)] | None
    next_action_on: date | None


# Reads


class OrganisationBrief(ReadModel):
    id: uuid.UUID
    name: str
    kind: str
    contributor_type: str
    country_iso3: str | None


class ComponentBrief(ReadModel):
    """A part of a request or an offer without anything that identifies its owner."""

    area_code: str
    modalities: list[str]
    support_types: list[str]


class ComponentDetail(ComponentBrief):
    id: uuid.UUID
    description: str


class RecordDisclosure(ReadModel):
    """A party's request or offer as its counterparts see it after consent."""

    id: uuid.UUID
    kind: Literal["request", "offer"]
    reference: str
    title: str
    public_summary: str
    confidential_details: str
    contacts: list[Contact]
    attachments: list[Attachment]
    languages: list[str]
    starts_on: date | None
    ends_on: date | None
    components: list[ComponentDetail]


class PartyFull(ReadModel):
    id: uuid.UUID
    side: Side
    organisation: OrganisationBrief
    record: RecordDisclosure
    consent_status: ConsentStatus
    consent_version: int | None
    consent_conditions: str | None
    consent_decided_at: datetime | None
    publication_consent: bool | None
    pledge_id: uuid.UUID | None


class CounterpartRedacted(ReadModel):
    """Who the counterpart is, without saying who: e.g. 'a State in West and Central Africa'."""

    disclosed: Literal[False] = False
    id: uuid.UUID
    side: Side
    kind: str = Field(description="'state' or the stakeholder's contributor type")
    region_code: str | None
    bureau_code: str | None
    languages: list[str]
    components: list[ComponentBrief]
    consent_status: ConsentStatus


class CounterpartDisclosed(PartyFull):
    disclosed: Literal[True] = True


Counterpart = Annotated[CounterpartRedacted | CounterpartDisclosed, Field(discriminator="disclosed")]


class MatchItemView(ReadModel):
    id: uuid.UUID
    request_component_id: uuid.UUID
    offer_id: uuid.UUID
    score: float | None
    contributions: dict[str, float]
    failed_constraints: list[str]
    rank: int | None


class _MatchCommon(ReadModel):
    id: uuid.UUID
    reference: str
    status: MatchStatus
    proposal_version: int
    public_summary: str
    consent_deadline: datetime | None
    consented_at: datetime | None
    agreed_at: datetime | None
    agreed_scope: str
    agreed_modalities: list[str]
    starts_on: date | None
    ends_on: date | None
    suggested_pledge_stage: Literal["planning", "in_progress", "fulfilled"] | None
    created_at: datetime
    updated_at: datetime
    version: int
    allowed_actions: list[Action]


class MatchFacilitatorView(_MatchCommon):
    view: Literal["facilitator"] = "facilitator"
    parties: list[PartyFull]
    items: list[MatchItemView]
    facilitators: list[OrganisationBrief]
    justification: str | None
    allocation_run_id: uuid.UUID | None
    criteria_version: int | None
    status_reason: str | None
    next_action: str | None
    next_action_on: date | None
    disclosed: bool


class MatchPartyView(_MatchCommon):
    view: Literal["party"] = "party"
    my_parties: list[PartyFull]
    counterparts: list[Counterpart]
    can_consent: bool
    can_consent_to_publication: bool


class MatchPublicParty(ReadModel):
    side: Side
    name: str
    country_iso3: str | None


class PublishedExcerpt(ReadModel):
    period_start: date
    period_end: date
    excerpt: str
    published_at: datetime


class MatchPublicView(ReadModel):
    view: Literal["public"] = "public"
    id: uuid.UUID
    reference: str
    public_summary: str
    stage: Literal["planning", "in_progress", "fulfilled"]
    parties: list[MatchPublicParty]
    area_codes: list[str]
    starts_on: date | None
    ends_on: date | None
    report_excerpts: list[PublishedExcerpt] = Field(default_factory=list)


MatchView = Annotated[MatchFacilitatorView | MatchPartyView | MatchPublicView, Field(discriminator="view")]


class MatchListItem(ReadModel):
    """A list row: what any viewer of the match may know (no counterpart identity for parties before consent)."""

    id: uuid.UUID
    reference: str
    status: MatchStatus
    area_codes: list[str]
    requesting_countries: list[str] | None = Field(description="Null for a party before disclosure")
    party_names: list[str] | None = Field(description="Null for a party before disclosure")
    public_summary: str | None = Field(default=None, description="Null for a party before disclosure")
    starts_on: date | None = None
    ends_on: date | None = None
    consent_deadline: datetime | None
    next_action_on: date | None
    pending_consents: int
    updated_at: datetime
    attention: list[str] = Field(default_factory=list, description="Why a facilitator should look at it now")


class MatchPage(ReadModel):
    items: list[MatchListItem]
    next_cursor: str | None
    total: int
    total_is_lower_bound: bool = False


class TimelineEvent(ReadModel):
    id: int
    kind: str
    occurred_at: datetime
    party_side: Side | None = None
    party_name: str | None = Field(default=None, description="Null when the viewer may not know the party yet")
    is_own_party: bool = False
    data: dict[str, object]


class Note(ReadModel):
    id: uuid.UUID
    author_user_id: uuid.UUID | None
    body: str
    created_at: datetime
