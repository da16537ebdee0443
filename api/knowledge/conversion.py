"""Turning a closed match into a draft knowledge item: the prefill.

`prefill_from_match` reads the match through its visibility predicate (a hidden match is a 404), refuses a
match that is not closed (fulfilled or cancelled), and gathers what the draft starts from: the public summary,
the agreed scope, the parties' names (a counterpart is named only once the match disclosed the parties to
each other, or to its facilitators), areas, countries and timeframe. The body is a list of Markdown sections;
other modules add theirs through `register_prefill_contributor` (progress reports add their narrative, good
practices and impact), or a caller passes `extra_sections`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor
from api.core.errors import InvalidTransition
from api.matches import service as matches_service

CLOSED_MATCH_STATUSES = frozenset({"fulfilled", "cancelled"})

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "scope": "Agreed scope",
        "parties": "Parties",
        "requesting": "requesting",
        "offering": "offering",
        "partner": "A partner organisation",
        "timeframe": "Timeframe",
        "outcome": "Outcome",
        "fulfilled": "The support was delivered (match {reference}).",
        "cancelled": "The match {reference} was cancelled before completion.",
        "title": "Support to the asylum system: {reference}",
        "from": "from",
        "to": "to",
    },
    "fr": {
        "scope": "Périmètre convenu",
        "parties": "Parties",
        "requesting": "demandeur",
        "offering": "offrant",
        "partner": "Une organisation partenaire",
        "timeframe": "Calendrier",
        "outcome": "Résultat",
        "fulfilled": "Le soutien a été apporté (mise en relation {reference}).",
        "cancelled": "La mise en relation {reference} a été annulée avant son terme.",
        "title": "Soutien au système d'asile : {reference}",
        "from": "du",
        "to": "au",
    },
    "es": {
        "scope": "Alcance acordado",
        "parties": "Partes",
        "requesting": "solicitante",
        "offering": "oferente",
        "partner": "Una organización asociada",
        "timeframe": "Calendario",
        "outcome": "Resultado",
        "fulfilled": "El apoyo se prestó (vinculación {reference}).",
        "cancelled": "La vinculación {reference} se canceló antes de completarse.",
        "title": "Apoyo al sistema de asilo: {reference}",
        "from": "del",
        "to": "al",
    },
}


@dataclass
class PrefillSection:
    heading: str
    markdown: str


@dataclass
class PrefillParty:
    organisation_id: uuid.UUID
    name: str | None  # None while the caller may not learn who the counterpart is
    side: str
    contributor_type: str


@dataclass
class MatchPrefill:
    """What a draft made from a match starts with; contributors append sections before it is written."""

    match_id: uuid.UUID
    reference: str
    status: str
    language: str
    title: str
    summary: str
    areas: list[str]
    countries: list[str]
    starts_on: date | None
    ends_on: date | None
    parties: list[PrefillParty]
    actor_facilitates: bool
    sections: list[PrefillSection] = field(default_factory=list)

    @property
    def party_organisation_ids(self) -> list[uuid.UUID]:
        return [party.organisation_id for party in self.parties]

    @property
    def contributor_types(self) -> list[str]:
        return sorted({party.contributor_type for party in self.parties if party.contributor_type})

    def body_markdown(self) -> str:
        return "\n\n".join(f"## {section.heading}\n\n{section.markdown.strip()}" for section in self.sections).strip()


PrefillContributor = Callable[[AsyncSession, Actor, MatchPrefill], Awaitable[None]]
_CONTRIBUTORS: list[PrefillContributor] = []


def register_prefill_contributor(contributor: PrefillContributor) -> None:
    """Add sections (or tags) to every prefill, e.g. the narrative of the match's accepted progress reports.
    A contributor must only add what `actor` may read."""
    if contributor not in _CONTRIBUTORS:
        _CONTRIBUTORS.append(contributor)


def _escape(text: str) -> str:
    """Names and free text from the match are data, not Markdown: escape the characters that format."""
    return "".join(f"\\{char}" if char in "\\`*_{}[]()#+-.!<>|" else char for char in text)


async def prefill_from_match(
    session: AsyncSession,
    *,
    actor: Actor,
    match_id: uuid.UUID,
    language: str,
    extra_sections: Sequence[PrefillSection] = (),
) -> MatchPrefill:
    bundle = await matches_service.load(session, actor, match_id)
    match = bundle.match
    if match.status not in CLOSED_MATCH_STATUSES:
        raise InvalidTransition(
            "Only a fulfilled or cancelled match becomes a knowledge item; "
            f"this one is {match.status.replace('_', ' ')}",
            code="MatchNotClosed",
        )
    labels = _LABELS[language]
    sees_everyone = actor.is_secretariat or bundle.facilitating or matches_service.counterparts_disclosed(match)
    parties = [
        PrefillParty(
            organisation_id=party.organisation_id,
            name=organisation.name if sees_everyone or party.organisation_id in actor.organisation_ids else None,
            side=party.side,
            contributor_type=organisation.contributor_type,
        )
        for party, organisation in bundle.parties
    ]
    areas = sorted({c.area_code for c in bundle.request_components.values()})
    countries = sorted({r.country_iso3 for r in bundle.requests.values()})
    summary = match.public_summary.strip()
    first_line = summary.split("\n", 1)[0][:300].strip()
    prefill = MatchPrefill(
        match_id=match.id,
        reference=match.reference,
        status=match.status,
        language=language,
        title=first_line if len(first_line) >= 3 else labels["title"].format(reference=match.reference),
        summary=summary,
        areas=areas,
        countries=countries,
        starts_on=match.starts_on,
        ends_on=match.ends_on,
        parties=parties,
        actor_facilitates=bundle.facilitating,
    )
    if match.agreed_scope.strip():
        prefill.sections.append(PrefillSection(labels["scope"], _escape(match.agreed_scope.strip())))
    party_lines = [
        f"- {_escape(party.name) if party.name else labels['partner']} ({labels[party.side]})" for party in parties
    ]
    prefill.sections.append(PrefillSection(labels["parties"], "\n".join(party_lines)))
    if match.starts_on or match.ends_on:
        span = " ".join(
            part
            for part in (
                f"{labels['from']} {match.starts_on.isoformat()}" if match.starts_on else "",
                f"{labels['to']} {match.ends_on.isoformat()}" if match.ends_on else "",
            )
            if part
        )
        prefill.sections.append(PrefillSection(labels["timeframe"], span.capitalize()))
    prefill.sections.append(PrefillSection(labels["outcome"], labels[match.status].format(reference=match.reference)))
    prefill.sections.extend(extra_sections)
    for contributor in _CONTRIBUTORS:
        await contributor(session, actor, prefill)
    return prefill
