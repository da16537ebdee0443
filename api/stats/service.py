"""Stocktaking figures. Rows are cohorts: a request or offer counts in the period it was submitted (and in the
region, bureau and top-level areas it concerns); a match in the period it was proposed; a report in the
period it was due. Durations are medians in days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from statistics import median
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.core.actor import Actor
from api.core.errors import Forbidden
from api.stats import repository, schemas

MATCHED = frozenset({"partially_matched", "matched", "closed"})
OPEN_REQUEST = frozenset({"validated", "partially_matched"})


def period_of(moment: datetime | date | None, period: str) -> str:
    if moment is None:
        return "unknown"
    if period == "year":
        return str(moment.year)
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def _keys(
    group_by: str,
    period: str,
    *,
    moment: datetime | date | None,
    region: str | None,
    bureau: str | None,
    areas: Iterable[str] | None,
) -> list[str]:
    if group_by == "period":
        return [period_of(moment, period)]
    if group_by == "region":
        return [region or "unknown"]
    if group_by == "bureau":
        return [bureau or "unknown"]
    return sorted(set(areas or [])) or ["unknown"]


def _days(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


async def stocktaking(session: AsyncSession, *, actor: Actor, group_by: str, period: str) -> schemas.Stocktaking:
    """The Secretariat's figures for a stocktaking event."""
    if not actor.is_secretariat:
        raise Forbidden("Stocktaking figures are for the Secretariat")
    groups: dict[str, dict[str, Any]] = {}

    def bucket(key: str) -> dict[str, Any]:
        if key not in groups:
            groups[key] = {"durations": defaultdict(list)}
        return groups[key]

    for r in await repository.request_facts(session):
        for key in _keys(
            group_by, period, moment=r.submitted_at, region=r.region_code, bureau=r.bureau_code, areas=r.areas
        ):
            g = bucket(key)
            g["requests_received"] = g.get("requests_received", 0) + 1
            if r.validated_at:
                g["requests_validated"] = g.get("requests_validated", 0) + 1
            if r.agreed_at:
                g["requests_matched"] = g.get("requests_matched", 0) + 1
            if r.status in OPEN_REQUEST:
                g["unmet_needs"] = g.get("unmet_needs", 0) + int(r.open_components or 0)
            for name, end in (
                ("validation", r.validated_at),
                ("proposal", r.proposed_at),
                ("consent", r.consented_at),
                ("agreement", r.agreed_at),
            ):
                days = _days(r.submitted_at, end)
                if days is not None:
                    g["durations"][name].append(days)
    for o in await repository.offer_facts(session):
        for key in _keys(
            group_by, period, moment=o.submitted_at, region=o.region_code, bureau=o.bureau_code, areas=o.areas
        ):
            g = bucket(key)
            g["offers_received"] = g.get("offers_received", 0) + 1
            if o.validated_at:
                g["offers_validated"] = g.get("offers_validated", 0) + 1
            if o.status in MATCHED:
                g["offers_matched"] = g.get("offers_matched", 0) + 1
    match_places: dict[Any, tuple[list[str], list[str], list[str], datetime]] = {}
    for m in await repository.match_facts(session):
        match_places[m.id] = (list(m.regions or []), list(m.bureaux or []), list(m.areas or []), m.created_at)
        for key in _match_keys(group_by, period, m.created_at, m.regions, m.bureaux, m.areas):
            g = bucket(key)
            if m.agreed_at:
                g["matches_agreed"] = g.get("matches_agreed", 0) + 1
                if m.status == "fulfilled":
                    g["matches_fulfilled"] = g.get("matches_fulfilled", 0) + 1
    for c in await repository.consent_facts(session):
        regions, bureaux, areas, created = match_places.get(c.match_id, ([], [], [], c.consent_requested_at))
        for key in _match_keys(group_by, period, created, regions, bureaux, areas):
            days = _days(c.consent_requested_at, c.consent_decided_at)
            if days is not None:
                bucket(key)["durations"]["consent_turnaround"].append(days)
    for rep in await repository.report_facts(session):
        if rep.match_id is not None and rep.match_id in match_places:
            regions, bureaux, areas, _ = match_places[rep.match_id]
        else:
            regions, bureaux, areas = [], [], []
        for key in _match_keys(group_by, period, rep.due_on, regions, bureaux, areas):
            g = bucket(key)
            g["reports_due"] = g.get("reports_due", 0) + 1
            if rep.submitted_at is not None and rep.submitted_at.date() <= rep.due_on:
                g["reports_on_time"] = g.get("reports_on_time", 0) + 1
    rows = []
    for key in sorted(groups):
        g = groups[key]
        durations = g["durations"]
        rows.append(
            schemas.StocktakingRow(
                group=key,
                requests_received=g.get("requests_received", 0),
                requests_validated=g.get("requests_validated", 0),
                requests_matched=g.get("requests_matched", 0),
                offers_received=g.get("offers_received", 0),
                offers_validated=g.get("offers_validated", 0),
                offers_matched=g.get("offers_matched", 0),
                median_days_to_validation=_median(durations["validation"]),
                median_days_to_proposal=_median(durations["proposal"]),
                median_days_to_consent=_median(durations["consent"]),
                median_days_to_agreement=_median(durations["agreement"]),
                median_consent_turnaround_days=_median(durations["consent_turnaround"]),
                match_rate=_rate(g.get("requests_matched", 0), g.get("requests_validated", 0)),
                fulfilment_rate=_rate(g.get("matches_fulfilled", 0), g.get("matches_agreed", 0)),
                reports_due=g.get("reports_due", 0),
                reports_on_time=g.get("reports_on_time", 0),
                reports_on_time_rate=_rate(g.get("reports_on_time", 0), g.get("reports_due", 0)),
                unmet_needs=g.get("unmet_needs", 0),
            )
        )
    return schemas.Stocktaking(group_by=group_by, period=period, rows=rows)


def _match_keys(
    group_by: str,
    period: str,
    moment: datetime | date | None,
    regions: Iterable[str | None],
    bureaux: Iterable[str | None],
    areas: Iterable[str | None],
) -> list[str]:
    if group_by == "period":
        return [period_of(moment, period)]
    values = {"region": regions, "bureau": bureaux, "area": areas}[group_by]
    return sorted({v for v in values if v}) or ["unknown"]
