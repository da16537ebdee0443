"""Matching rules: the versioned criteria, ranked suggestions with their explanations, the optimal allocation
(kept as a run), the checks a proposal goes through, gaps, outreach targets and coverage."""

from __future__ import annotations

import asyncio
import time
import uuid
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit, clock
from api.core.actor import Actor
from api.core.errors import Forbidden, NotFound, ValidationFailed, field_error
from api.matches import service as match_service
from api.matching import engine, repository, schemas
from api.models.commitments import SupportOffer, SupportRequestComponent
from api.models.matches import AllocationRun, MatchingCriteria
from api.support_offers import repository as offer_repository
from api.support_requests import repository as request_repository

# Soft rules: a proposal whose pair breaks one needs a written justification (as does any pair that is not the
# component's top suggestion).
SOFT_RULES = {
    "duplication": "the country already receives support in this area",
    "area_parent": "the offer covers the area only at the parent level",
    "modality": "the offer does not bring every modality wanted",
    "language": "no shared language",
}


def _require_staff(actor: Actor) -> None:
    if not (actor.is_secretariat or actor.is_unhcr):
        raise Forbidden("Matching is for the Secretariat and UNHCR offices")


def _require_secretariat(actor: Actor) -> None:
    if not actor.is_secretariat:
        raise Forbidden("Only the Secretariat does this")


# Criteria


def to_engine(row: MatchingCriteria) -> engine.Criteria:
    return engine.Criteria(
        version=row.version,
        hard=row.hard,
        weights=row.weights,
        cross_regional_bonus=row.cross_regional_bonus,
        duplication_penalty=row.duplication_penalty,
        waiting_full_days=row.waiting_full_days,
    )


async def active_criteria(session: AsyncSession) -> MatchingCriteria:
    """The newest criteria version; version 1 (the defaults) is created the first time it is needed."""
    row = await repository.latest_criteria(session)
    if row is None:
        defaults = engine.default_criteria()
        row = MatchingCriteria(
            version=1,
            hard=dict(defaults.hard),
            weights=dict(defaults.weights),
            cross_regional_bonus=defaults.cross_regional_bonus,
            duplication_penalty=defaults.duplication_penalty,
            waiting_full_days=defaults.waiting_full_days,
            note="Defaults",
            created_at=clock.now(),
        )
        session.add(row)
        await session.flush()
    return row


def _criteria_read(row: MatchingCriteria, active_version: int) -> schemas.Criteria:
    return schemas.Criteria(
        version=row.version,
        hard=row.hard,
        weights=row.weights,
        cross_regional_bonus=row.cross_regional_bonus,
        duplication_penalty=row.duplication_penalty,
        waiting_full_days=row.waiting_full_days,
        note=row.note,
        created_at=row.created_at,
        is_active=row.version == active_version,
    )


async def get_criteria(session: AsyncSession, *, actor: Actor) -> schemas.Criteria:
    _require_staff(actor)
    row = await active_criteria(session)
    return _criteria_read(row, row.version)


async def list_criteria_versions(session: AsyncSession, *, actor: Actor) -> list[schemas.Criteria]:
    _require_staff(actor)
    active = await active_criteria(session)
    return [_criteria_read(row, active.version) for row in await repository.criteria_versions(session)]


async def update_criteria(session: AsyncSession, *, actor: Actor, body: schemas.CriteriaIn) -> schemas.Criteria:
    """Each edit makes a new version, which becomes the active one; old versions stay readable."""
    _require_secretariat(actor)
    current = await active_criteria(session)
    hard = {**current.hard, **(body.hard or {})}
    weights = {**current.weights, **(body.weights or {})}
    candidate = {
        "version": current.version + 1,
        "hard": hard,
        "weights": weights,
        "cross_regional_bonus": body.cross_regional_bonus
        if body.cross_regional_bonus is not None
        else current.cross_regional_bonus,
        "duplication_penalty": body.duplication_penalty
        if body.duplication_penalty is not None
        else current.duplication_penalty,
        "waiting_full_days": body.waiting_full_days or current.waiting_full_days,
    }
    unknown_hard = sorted(set(hard) - set(engine.HARD_CONSTRAINTS))
    unknown_weights = sorted(set(weights) - set(engine.SCORED_CRITERIA))
    if unknown_hard:
        raise field_error(f"hard.{unknown_hard[0]}", f"Unknown constraint; use {', '.join(engine.HARD_CONSTRAINTS)}")
    if unknown_weights:
        raise field_error(
            f"weights.{unknown_weights[0]}", f"Unknown criterion; use {', '.join(engine.SCORED_CRITERIA)}"
        )
    row = MatchingCriteria(
        **candidate,
        note=body.note,
        created_at=clock.now(),
        created_by_user_id=actor.user_id,
    )
    session.add(row)
    await session.flush()
    clear_snapshot()
    return _criteria_read(row, row.version)


# The engine's inputs, cached per process until something they depend on changes


@dataclass
class Snapshot:
    key: tuple[Any, ...]
    taken_at: Any
    criteria: engine.Criteria
    offers: list[engine.Offer] = field(default_factory=list)
    offers_by_id: dict[str, engine.Offer] = field(default_factory=dict)
    offer_pool: engine.OfferPool | None = None
    components: list[engine.RequestComponent] = field(default_factory=list)
    component_pool: engine.ComponentPool | None = None


_CACHE: dict[str, Snapshot] = {}


def clear_snapshot() -> None:
    """Forget the cached inputs (the next call rebuilds them)."""
    _CACHE.clear()


# One lock per event loop (tests run several loops in one process; an asyncio lock belongs to one loop).
_BUILD_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def _build_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _BUILD_LOCKS.get(loop)
    if lock is None:
        lock = _BUILD_LOCKS[loop] = asyncio.Lock()
    return lock


async def snapshot(session: AsyncSession, *, with_components: bool = False) -> Snapshot:
    """The open offers (and components) as engine records, rebuilt only when an input changed.

    Requests that find the snapshot stale wait for one rebuild instead of each building their own: at 50,000
    offers a rebuild takes seconds, and a burst of page views after a change would otherwise multiply it."""
    criteria_row = await active_criteria(session)
    key = await repository.snapshot_key(session)
    cached = _CACHE.get("current")
    if cached is None or cached.key != key or (with_components and cached.component_pool is None):
        async with _build_lock():
            cached = _CACHE.get("current")
            if cached is None or cached.key != key:
                offers = await repository.offer_inputs(session)
                cached = Snapshot(
                    key=key,
                    taken_at=clock.now(),
                    criteria=to_engine(criteria_row),
                    offers=offers,
                    offers_by_id={o.id: o for o in offers},
                    # Built in a thread (about a second at 50,000 offers): the event loop keeps serving meanwhile.
                    offer_pool=await asyncio.to_thread(engine.OfferPool, offers),
                )
                _CACHE["current"] = cached
            if with_components and cached.component_pool is None:
                cached.components = await repository.component_inputs(session, today=clock.now().date())
                cached.component_pool = await asyncio.to_thread(engine.ComponentPool, cached.components)
    return cached


# Suggestions


def _offer_ref(row: Any) -> schemas.OfferRef:
    return schemas.OfferRef(
        id=row.id,
        reference=row.reference,
        title=row.title,
        organisation_name=row.organisation_name,
        contributor_type=row.contributor_type,
        country_iso3=row.country_iso3,
    )


def _component_ref(row: Any) -> schemas.ComponentRef:
    return schemas.ComponentRef(
        id=row.id,
        request_id=row.request_id,
        reference=row.reference,
        title=row.title,
        country_iso3=row.country_iso3,
        area_code=row.area_code,
        description=row.description,
    )


def _offer_filter(
    offers_by_id: dict[str, engine.Offer], region: str | None, area: str | None, language: str | None
) -> Any:
    def keep(offer_id: str) -> bool:
        offer = offers_by_id.get(offer_id)
        if offer is None:
            return False
        if region and offer.region_code != region and region not in offer.served_regions and not offer.serves_any:
            return False
        if area and not any(c.area_code == area or c.area_code.split(".")[0] == area for c in offer.components):
            return False
        return not (language and language not in offer.languages)

    return keep


async def suggestions_for_request(
    session: AsyncSession,
    *,
    actor: Actor,
    request_id: uuid.UUID,
    k: int,
    region: str | None,
    area: str | None,
    language: str | None,
) -> schemas.RequestSuggestions:
    """Top offers for each component of a request, and overall, with why and why not."""
    _require_staff(actor)
    # The request itself goes through its own visibility: a UNHCR office only for the countries it covers.
    found = await request_repository.get_visible(session, actor, request_id)
    if found is None or not found[1]:
        raise NotFound("No such support request")
    data = await snapshot(session)
    components = await repository.component_inputs(
        session, today=clock.now().date(), request_ids=[request_id], include_covered=True
    )
    assert data.offer_pool is not None
    keep = _offer_filter(data.offers_by_id, region, area, language)
    # Over-fetch, then filter: the filters narrow the candidates, not the ranking itself.
    fetch = k * 5 if (region or area or language) else k
    per_component = []
    overall: dict[str, list[float]] = defaultdict(list)
    references: set[str] = set()
    ranked_all = []
    for component in sorted(components, key=lambda c: c.id):
        feasible, infeasible = engine.rank_offers_and_exclusions(
            component, data.offer_pool, data.criteria, k=fetch, k_excluded=fetch
        )
        ranked = [p for p in feasible if keep(p.offer_id)][:k]
        excluded = [p for p in infeasible if keep(p.offer_id)][:k]
        ranked_all.append((component, ranked, excluded))
        references.update(p.offer_id for p in ranked + excluded)
        for pair in ranked:
            overall[pair.offer_id].append(pair.score)
    offer_rows = await repository.offer_summaries(session, references)
    component_rows = await repository.component_summaries(session, [c.id for c in components])
    for component, ranked, excluded in ranked_all:
        per_component.append(
            schemas.ComponentSuggestions(
                component=_component_ref(component_rows[component.id]),
                candidates=[
                    schemas.OfferCandidate(
                        rank=i + 1,
                        score=p.score,
                        contributions=dict(p.contributions),
                        offer=_offer_ref(offer_rows[p.offer_id]),
                    )
                    for i, p in enumerate(ranked)
                ],
                excluded=[
                    schemas.ExcludedOffer(
                        failed=list(p.failed), would_be_score=p.score, offer=_offer_ref(offer_rows[p.offer_id])
                    )
                    for p in excluded
                ],
            )
        )
    best = sorted(overall.items(), key=lambda item: (-sum(item[1]), item[0]))[:k]
    return schemas.RequestSuggestions(
        request_id=request_id,
        criteria_version=data.criteria.version,
        components=per_component,
        overall=[
            schemas.OverallOffer(
                offer=_offer_ref(offer_rows[offer_id]), total_score=sum(scores), components_served=len(scores)
            )
            for offer_id, scores in best
        ],
    )


async def suggestions_for_offer(
    session: AsyncSession,
    *,
    actor: Actor,
    offer_id: uuid.UUID,
    k: int,
    region: str | None,
    area: str | None,
    language: str | None,
) -> schemas.OfferSuggestions:
    """Top request components an offer could serve, with why and why not."""
    _require_staff(actor)
    found = await offer_repository.get_visible(session, actor, offer_id)
    if found is None or not found[1]:
        raise NotFound("No such support offer")
    data = await snapshot(session, with_components=True)
    offers = await repository.offer_inputs(session, offer_ids=[offer_id])
    if not offers:
        raise NotFound("The offer has no components to match")
    assert data.component_pool is not None
    by_id = {c.id: c for c in data.components}

    def keep(component_id: str) -> bool:
        component = by_id.get(component_id)
        if component is None:
            return False
        if region and region not in (component.region_code, component.subregion_code, component.intermediate_code):
            return False
        if area and component.area_code != area and component.area_code.split(".")[0] != area:
            return False
        return not (language and language not in component.languages)

    fetch = k * 5 if (region or area or language) else k
    ranked = [
        p
        for p in engine.rank_components(offers[0], data.component_pool, data.criteria, k=fetch)
        if keep(p.component_id)
    ][:k]
    excluded = [
        p
        for p in engine.rank_components(
            offers[0], data.component_pool, data.criteria, k=fetch * 3, include_infeasible=True
        )
        if not p.feasible and keep(p.component_id)
    ][:k]
    rows = await repository.component_summaries(session, [p.component_id for p in ranked + excluded])
    offer_row = (await repository.offer_summaries(session, [str(offer_id)]))[str(offer_id)]
    return schemas.OfferSuggestions(
        offer=_offer_ref(offer_row),
        criteria_version=data.criteria.version,
        candidates=[
            schemas.ComponentCandidate(
                rank=i + 1,
                score=p.score,
                contributions=dict(p.contributions),
                component=_component_ref(rows[p.component_id]),
            )
            for i, p in enumerate(ranked)
        ],
        excluded=[
            schemas.ExcludedComponent(
                failed=list(p.failed), would_be_score=p.score, component=_component_ref(rows[p.component_id])
            )
            for p in excluded
        ],
    )


# Allocation


def _in_filter(component: engine.RequestComponent, body: schemas.AllocationIn) -> bool:
    if body.region and body.region not in (
        component.region_code,
        component.subregion_code,
        component.intermediate_code,
    ):
        return False
    if body.bureau and component.bureau_code != body.bureau:
        return False
    return not (body.area and component.area_code != body.area and component.area_code.split(".")[0] != body.area)


def _assignment_rows(allocation: engine.Allocation) -> list[dict[str, Any]]:
    return [
        {
            "component_id": a.component_id,
            "offer_id": a.offer_id,
            "score": a.score,
            "contributions": dict(a.contributions),
        }
        for a in allocation.assignments
    ]


async def run_allocation(
    session: AsyncSession, *, actor: Actor, body: schemas.AllocationIn
) -> schemas.AllocationReport:
    """Compute the optimal assignment of offers (with their capacities) to open components, and the greedy
    baseline; keep the run so proposals can cite it."""
    _require_secretariat(actor)
    started = time.perf_counter()
    data = await snapshot(session, with_components=True)
    components = [c for c in data.components if _in_filter(c, body)]
    optimal = engine.allocate(components, data.offers, data.criteria)
    greedy = engine.greedy_allocate(components, data.offers, data.criteria)
    covered_before = await repository.covered_components(session)
    run = AllocationRun(
        id=uuid.uuid4(),
        criteria_version=data.criteria.version,
        inputs_snapshot_at=data.taken_at,
        components_count=len(components),
        offers_count=len(data.offers),
        total_score=optimal.total_score,
        greedy_total_score=greedy.total_score,
        covered_before=covered_before,
        assignments=_assignment_rows(optimal),
        greedy_assignments=_assignment_rows(greedy),
        uncovered_component_ids=list(optimal.uncovered_component_ids),
        filters={k: v for k, v in body.model_dump().items() if v},
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
        created_at=clock.now(),
        created_by_user_id=actor.user_id,
    )
    session.add(run)
    audit.label(session, run, "matching.allocation_run")
    await session.flush()
    return await _report(session, run)


def _run_read(run: AllocationRun) -> dict[str, Any]:
    gain = run.total_score - run.greedy_total_score
    return {
        "id": run.id,
        "criteria_version": run.criteria_version,
        "inputs_snapshot_at": run.inputs_snapshot_at,
        "components_count": run.components_count,
        "offers_count": run.offers_count,
        "total_score": run.total_score,
        "greedy_total_score": run.greedy_total_score,
        "gain_over_greedy": gain,
        "gain_over_greedy_percent": round(gain / run.greedy_total_score * 100, 2) if run.greedy_total_score else None,
        "covered_before": run.covered_before,
        "covered_after": run.covered_before + len(run.assignments),
        "uncovered_count": len(run.uncovered_component_ids),
        "duration_ms": run.duration_ms,
        "filters": run.filters,
        "created_at": run.created_at,
    }


async def _report(session: AsyncSession, run: AllocationRun) -> schemas.AllocationReport:
    offer_rows = await repository.offer_summaries(session, [a["offer_id"] for a in run.assignments])
    component_rows = await repository.component_summaries(
        session, [a["component_id"] for a in run.assignments] + list(run.uncovered_component_ids[:500])
    )
    assignments = [
        schemas.Assignment(
            component=_component_ref(component_rows[a["component_id"]]),
            offer=_offer_ref(offer_rows[a["offer_id"]]),
            score=a["score"],
            contributions=a["contributions"],
        )
        for a in run.assignments
        if a["component_id"] in component_rows and a["offer_id"] in offer_rows
    ]
    return schemas.AllocationReport(
        **_run_read(run),
        assignments=assignments,
        greedy_assignments_count=len(run.greedy_assignments),
        uncovered=[_component_ref(component_rows[i]) for i in run.uncovered_component_ids[:500] if i in component_rows],
    )


async def get_allocation(session: AsyncSession, *, actor: Actor, run_id: uuid.UUID) -> schemas.AllocationReport:
    _require_staff(actor)
    run = await session.get(AllocationRun, run_id)
    if run is None:
        raise NotFound("No such allocation run")
    return await _report(session, run)


async def list_allocations(session: AsyncSession, *, actor: Actor) -> list[schemas.AllocationRun]:
    _require_staff(actor)
    return [schemas.AllocationRun(**_run_read(run)) for run in await repository.allocation_runs(session, 50)]


# Proposals: the checks every proposed pair goes through


async def check_proposal_pair(
    session: AsyncSession, component: SupportRequestComponent, offer: SupportOffer
) -> match_service.ProposalCheck:
    """Score a proposed pair with the active criteria; say why it needs a justification, if it does."""
    data = await snapshot(session)
    components = await repository.component_inputs(session, today=clock.now().date(), component_ids=[component.id])
    offers = await repository.offer_inputs(session, offer_ids=[offer.id])
    if not components or not offers:
        raise ValidationFailed("The pair cannot be scored (no components)")
    pair = engine.score_pair(components[0], offers[0], data.criteria)
    assert data.offer_pool is not None
    top = engine.rank_offers(components[0], data.offer_pool, data.criteria, k=50)
    rank = next((i + 1 for i, p in enumerate(top) if p.offer_id == pair.offer_id), None)
    reasons = []
    if rank != 1:
        reasons.append("the offer is not the top suggestion for this component" + (f" (rank {rank})" if rank else ""))
    contributions = pair.contributions
    if contributions.get("duplication", 0) < 0:
        reasons.append(SOFT_RULES["duplication"])
    if contributions.get("area_exact", 0) == 0 and contributions.get("area_parent", 0) > 0:
        reasons.append(SOFT_RULES["area_parent"])
    if data.criteria.weight("modality") and contributions.get("modality", 0) < data.criteria.weight("modality"):
        reasons.append(SOFT_RULES["modality"])
    if data.criteria.weight("language") and contributions.get("language", 0) == 0:
        reasons.append(SOFT_RULES["language"])
    return match_service.ProposalCheck(
        score=pair.score,
        contributions=dict(contributions),
        failed_constraints=list(pair.failed),
        rank=rank,
        needs_justification=reasons,
    )


match_service.PROPOSAL_SCORER[:] = [check_proposal_pair]


# Gaps, outreach and coverage


async def gaps(session: AsyncSession, *, actor: Actor, limit: int) -> schemas.Gaps:
    """Unmet components (no feasible offer, or not matched yet) and their counts by country, area, region and
    bureau, with how long they have waited."""
    _require_staff(actor)
    data = await snapshot(session, with_components=True)
    assert data.offer_pool is not None
    # A UNHCR office sees the gaps of the countries it covers; the Secretariat sees them all.
    open_components = [c for c in data.components if actor.is_secretariat or c.country_iso3 in actor.unhcr_countries]
    rows = await repository.component_summaries(session, [c.id for c in open_components])
    items = []
    groups: dict[str, dict[str, list[tuple[int, bool]]]] = {
        k: defaultdict(list) for k in ("country", "area", "region", "bureau")
    }
    for component in open_components:
        feasible = bool(engine.rank_offers(component, data.offer_pool, data.criteria, k=1))
        reason = "not_matched_yet" if feasible else "no_feasible_offer"
        items.append(
            schemas.Gap(
                component=_component_ref(rows[component.id]),
                region_code=component.region_code,
                bureau_code=component.bureau_code,
                waited_days=component.waited_days,
                reason=reason,
            )
        )
        for name, value in (
            ("country", component.country_iso3),
            ("area", component.area_code),
            ("region", component.region_code or "-"),
            ("bureau", component.bureau_code or "-"),
        ):
            groups[name][value].append((component.waited_days, not feasible))

    def grouped(name: str) -> list[schemas.GapGroup]:
        result = [
            schemas.GapGroup(
                key=key,
                unmet=len(values),
                no_feasible_offer=sum(1 for _, none in values if none),
                longest_wait_days=max(w for w, _ in values),
            )
            for key, values in groups[name].items()
        ]
        return sorted(result, key=lambda g: (-g.unmet, g.key))

    items.sort(key=lambda g: (g.reason != "no_feasible_offer", -g.waited_days, str(g.component.id)))
    return schemas.Gaps(
        total_unmet=len(items),
        items=items[:limit],
        by_country=grouped("country"),
        by_area=grouped("area"),
        by_region=grouped("region"),
        by_bureau=grouped("bureau"),
    )


async def outreach(session: AsyncSession, *, actor: Actor) -> list[schemas.OutreachOffer]:
    """Offers with capacity left that no open component could use: targets for outreach."""
    _require_staff(actor)
    data = await snapshot(session, with_components=True)
    assert data.component_pool is not None
    idle = [o for o in data.offers if not engine.rank_components(o, data.component_pool, data.criteria, k=1)]
    rows = await repository.offer_summaries(session, [o.id for o in idle])
    return [
        schemas.OutreachOffer(offer=_offer_ref(rows[o.id]), capacity_left=o.capacity_left)
        for o in sorted(idle, key=lambda o: o.id)
        if o.id in rows
    ]


async def coverage(session: AsyncSession, *, actor: Actor) -> list[schemas.CoverageCell]:
    """Country x area: live matches and existing support, overlaps flagged (the Secretariat)."""
    _require_secretariat(actor)
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for country, area, source, label in await repository.coverage_cells(session):
        cell = cells.setdefault((country, area), {"matches": 0, "existing_support": 0, "sources": []})
        cell["matches" if source == "match" else "existing_support"] += 1
        if label and label not in cell["sources"]:
            cell["sources"].append(label)
    return [
        schemas.CoverageCell(
            country_iso3=country,
            area_code=area,
            matches=cell["matches"],
            existing_support=cell["existing_support"],
            sources=sorted(cell["sources"]),
            overlap=cell["matches"] + cell["existing_support"] > 1,
        )
        for (country, area), cell in sorted(cells.items())
    ]
