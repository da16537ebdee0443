"""The matching engine, without a database: explanations, rankings, and allocations against an exact MILP."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from api.matching.engine import (
    CONTRIBUTIONS,
    HARD_CONSTRAINTS,
    SCORED_CRITERIA,
    Allocation,
    ComponentPool,
    Criteria,
    Offer,
    OfferComponent,
    OfferPool,
    PairScore,
    RequestComponent,
    allocate,
    default_criteria,
    greedy_allocate,
    rank_components,
    rank_offers,
    rank_offers_and_exclusions,
    score_pair,
)

DEFAULT = default_criteria()
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def component(**changes: Any) -> RequestComponent:
    """A request component that every `offer()` serves, unless changed."""
    values: dict[str, Any] = {
        "id": "c1",
        "request_id": "r1",
        "country_iso3": "NER",
        "region_code": "002",
        "subregion_code": "202",
        "bureau_code": "wca",
        "area_code": "procedures.rsd",
        "modalities": frozenset({"training", "study_visit"}),
        "support_types": frozenset({"technical"}),
        "languages": frozenset({"fr"}),
        "in_scope": True,
        "pledge_linked": False,
        "establishing_system": False,
        "urgency": 1,
        "waited_days": 100,
        "duplicated": False,
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2025, 12, 31),
    }
    values.update(changes)
    return RequestComponent(**values)


def offer(**changes: Any) -> Offer:
    values: dict[str, Any] = {
        "id": "o1",
        "organisation_id": "ofpra",
        "country_iso3": "FRA",
        "region_code": "150",
        "bureau_code": "europe",
        "components": (OfferComponent("procedures.rsd", frozenset({"training"}), frozenset({"technical"})),),
        "languages": frozenset({"fr", "en"}),
        "serves_any": False,
        "served_countries": frozenset(),
        "served_regions": frozenset({"002"}),
        "served_bureaux": frozenset(),
        "excluded_countries": frozenset(),
        "capacity_left": 2,
        "starts_on": date(2025, 6, 1),
        "ends_on": None,
    }
    values.update(changes)
    return Offer(**values)


def criteria(**changes: Any) -> Criteria:
    return dataclasses.replace(DEFAULT, **changes)


def added_up(pair: PairScore) -> float:
    total = 0.0
    for name in CONTRIBUTIONS:
        total += pair.contributions[name]
    return total


# ---------------------------------------------------------------------------------------------- explanations


def test_a_matching_pair_is_feasible_and_explained() -> None:
    pair = score_pair(component(), offer(), DEFAULT)

    assert pair.feasible
    assert pair.failed == ()
    assert list(pair.contributions) == list(CONTRIBUTIONS)
    assert pair.contributions["area_exact"] == 40
    assert pair.contributions["area_parent"] == 0
    assert pair.contributions["modality"] == 5  # one of the two wanted modalities
    assert pair.contributions["support_type"] == 5
    assert pair.contributions["language"] == 5
    assert pair.contributions["urgency"] == pytest.approx(10 / 3)
    assert pair.contributions["waiting"] == pytest.approx(10 * 100 / 365)
    assert pair.contributions["regional"] == 0
    assert pair.contributions["cross_regional"] == 5
    assert pair.score == added_up(pair)


BREAKING: dict[str, tuple[RequestComponent, Offer]] = {
    "technical_exchange": (
        component(),
        offer(components=(OfferComponent("procedures.rsd", frozenset({"training"}), frozenset({"material"})),)),
    ),
    "in_scope": (component(in_scope=False), offer()),
    "area_related": (component(area_code="legal.legislation"), offer()),
    "serves_country": (component(), offer(served_regions=frozenset({"019"}))),
    "shared_language": (component(languages=frozenset({"ar"})), offer()),
    "capacity_left": (component(), offer(capacity_left=0)),
    "no_exclusion": (component(excluded_organisation_ids=frozenset({"ofpra"})), offer()),
    "timeframe_overlap": (component(ends_on=date(2025, 3, 31)), offer()),
}


@pytest.mark.parametrize("name", HARD_CONSTRAINTS)
def test_an_infeasible_pair_names_the_constraint_and_keeps_its_would_be_score(name: str) -> None:
    c, o = BREAKING[name]

    pair = score_pair(c, o, DEFAULT)

    assert not pair.feasible
    assert pair.failed == (name,)
    assert pair.score == added_up(pair)
    assert pair.score > 0


@pytest.mark.parametrize("name", HARD_CONSTRAINTS)
def test_a_constraint_turned_off_no_longer_fails(name: str) -> None:
    c, o = BREAKING[name]

    pair = score_pair(c, o, criteria(hard={**DEFAULT.hard, name: False}))

    assert pair.feasible
    assert pair.failed == ()


def test_an_excluded_country_breaks_no_exclusion() -> None:
    pair = score_pair(component(), offer(excluded_countries=frozenset({"NER"})), DEFAULT)

    assert pair.failed == ("no_exclusion",)


def test_every_failing_constraint_is_listed_in_order() -> None:
    c = component(in_scope=False, languages=frozenset({"ar"}), ends_on=date(2025, 3, 31))

    pair = score_pair(c, offer(capacity_left=0), DEFAULT)

    assert pair.failed == ("in_scope", "shared_language", "capacity_left", "timeframe_overlap")


def test_a_service_may_reach_the_country_through_its_subregion_bureau_or_name() -> None:
    for served in (
        {"served_regions": frozenset({"202"})},
        {"served_regions": frozenset(), "served_bureaux": frozenset({"wca"})},
        {"served_regions": frozenset(), "served_countries": frozenset({"NER"})},
        {"served_regions": frozenset(), "serves_any": True},
    ):
        assert score_pair(component(), offer(**served), DEFAULT).feasible


def test_the_best_offer_component_decides_area_modality_and_support_type() -> None:
    parts = (
        OfferComponent("procedures.coi", frozenset({"training", "study_visit"}), frozenset({"technical"})),
        OfferComponent("procedures.rsd", frozenset(), frozenset({"technical"})),
    )

    pair = score_pair(component(), offer(components=parts), DEFAULT)

    # The same area wins over a better modality fit in a sibling area.
    assert pair.contributions["area_exact"] == 40
    assert pair.contributions["modality"] == 0


def test_a_top_level_area_matches_its_sub_areas_as_parent() -> None:
    pair = score_pair(component(area_code="procedures"), offer(), DEFAULT)

    assert pair.feasible
    assert (pair.contributions["area_exact"], pair.contributions["area_parent"]) == (0, 15)


def test_waiting_time_grows_linearly_then_stays_flat() -> None:
    def waiting(days: int) -> float:
        return score_pair(component(waited_days=days), offer(), DEFAULT).contributions["waiting"]

    assert waiting(0) == 0
    assert waiting(365) == 10
    assert waiting(3650) == 10
    assert waiting(73) == pytest.approx(2)


def test_regional_fit_and_cross_regional_bonus_exclude_each_other() -> None:
    same = score_pair(component(), offer(region_code="002"), DEFAULT)
    unknown = score_pair(component(), offer(region_code=None), DEFAULT)

    assert (same.contributions["regional"], same.contributions["cross_regional"]) == (5, 0)
    assert (unknown.contributions["regional"], unknown.contributions["cross_regional"]) == (0, 0)


def test_criteria_refuse_unknown_names_and_bad_numbers() -> None:
    with pytest.raises(ValueError, match="unknown criteria: areas"):
        criteria(weights={"areas": 1.0})
    with pytest.raises(ValueError, match="unknown criteria: language_shared"):
        criteria(hard={"language_shared": True})
    with pytest.raises(ValueError, match="finite"):
        criteria(cross_regional_bonus=float("nan"))
    with pytest.raises(ValueError, match="waiting_full_days"):
        criteria(waiting_full_days=0)


def test_default_criteria_cover_every_name() -> None:
    assert set(DEFAULT.hard) == set(HARD_CONSTRAINTS)
    assert all(DEFAULT.hard.values())
    assert set(DEFAULT.weights) == set(SCORED_CRITERIA)


# ------------------------------------------------------------------------------------ duplication and weights


def test_a_country_already_supported_in_the_area_ranks_lower_by_exactly_the_penalty() -> None:
    fresh = component(id="c-fresh")
    supported = component(id="c-supported", duplicated=True)

    ranked = rank_components(offer(), [supported, fresh], DEFAULT)

    assert [pair.component_id for pair in ranked] == ["c-fresh", "c-supported"]
    assert ranked[0].score - ranked[1].score == DEFAULT.duplication_penalty
    assert ranked[1].contributions["duplication"] == -DEFAULT.duplication_penalty


def test_raising_the_language_weight_flips_two_offers() -> None:
    wanted = component(languages=frozenset({"fr", "en"}))
    sibling_area_shared_language = offer(
        id="o-sibling",
        components=(OfferComponent("procedures.coi", frozenset({"training"}), frozenset({"technical"})),),
        languages=frozenset({"fr"}),
    )
    same_area_no_language_listed = offer(id="o-same", languages=frozenset())
    offers = [sibling_area_shared_language, same_area_no_language_listed]

    by_default = rank_offers(wanted, offers, DEFAULT)
    language_first = rank_offers(wanted, offers, criteria(weights={**DEFAULT.weights, "language": 30.0}))

    assert [pair.offer_id for pair in by_default] == ["o-same", "o-sibling"]
    assert [pair.offer_id for pair in language_first] == ["o-sibling", "o-same"]


def test_the_cross_regional_bonus_can_favour_the_offer_from_another_region() -> None:
    c = component(modalities=frozenset())
    neighbour = offer(id="o-neighbour", region_code="002")
    distant = offer(id="o-distant", region_code="150")

    assert [p.offer_id for p in rank_offers(c, [neighbour, distant], DEFAULT)] == ["o-distant", "o-neighbour"]
    regional_first = criteria(cross_regional_bonus=0.0)
    assert [p.offer_id for p in rank_offers(c, [neighbour, distant], regional_first)] == ["o-neighbour", "o-distant"]


def test_ties_are_broken_by_id() -> None:
    offers = [offer(id=name) for name in ("o3", "o1", "o2")]

    assert [p.offer_id for p in rank_offers(component(), offers, DEFAULT)] == ["o1", "o2", "o3"]
    assert [p.offer_id for p in rank_offers(component(), OfferPool(offers), DEFAULT, k=2)] == ["o1", "o2"]


# ------------------------------------------------------------------------------------------ random instances

COUNTRIES = {
    "NER": ("002", "202", "wca"),
    "TCD": ("002", "202", "wca"),
    "MEX": ("019", "419", "americas"),
    "FRA": ("150", "155", "europe"),
    "PHL": ("142", "035", "asia_pacific"),
}
AREAS = ("procedures", "procedures.rsd", "procedures.coi", "legal", "legal.legislation", "expertise.research")
MODALITIES = ("training", "study_visit", "remote_advice", "secondment")
SUPPORT_TYPES = ("technical", "material", "financial")
LANGUAGES = ("en", "fr", "es", "ar")
ORGANISATIONS = ("org1", "org2", "org3", "org4")


def subset(rng: random.Random, values: Sequence[str], most: int) -> frozenset[str]:
    return frozenset(rng.sample(values, rng.randint(0, most)))


def day(rng: random.Random) -> date | None:
    return None if rng.random() < 0.4 else date(2025, 1, 1) + timedelta(days=rng.randrange(730))


def random_component(rng: random.Random, index: int) -> RequestComponent:
    country = rng.choice(sorted(COUNTRIES))
    region, subregion, bureau = COUNTRIES[country] if rng.random() < 0.8 else (None, None, None)
    return RequestComponent(
        id=f"c{rng.randrange(10)}-{index:02d}",  # ids do not sort like the input order
        request_id=f"r{index // 2}",
        country_iso3=country,
        region_code=region,
        subregion_code=subregion,
        bureau_code=bureau,
        area_code=rng.choice(AREAS),
        modalities=subset(rng, MODALITIES, 3),
        support_types=subset(rng, SUPPORT_TYPES, 2),
        languages=subset(rng, LANGUAGES, 2),
        in_scope=rng.random() < 0.9,
        pledge_linked=rng.random() < 0.5,
        establishing_system=rng.random() < 0.3,
        urgency=rng.randint(0, 3),
        waited_days=rng.randrange(500),
        duplicated=rng.random() < 0.3,
        starts_on=day(rng),
        ends_on=day(rng),
        excluded_organisation_ids=subset(rng, ORGANISATIONS, 1) if rng.random() < 0.2 else frozenset(),
    )


def random_offer(rng: random.Random, index: int) -> Offer:
    country = rng.choice(sorted(COUNTRIES))
    parts = tuple(
        OfferComponent(
            rng.choice(AREAS),
            subset(rng, MODALITIES, 3),
            subset(rng, SUPPORT_TYPES, 2) | ({"technical"} if rng.random() < 0.8 else set()),
        )
        for _ in range(rng.randint(1, 3))
    )
    return Offer(
        id=f"o{rng.randrange(10)}-{index:02d}",
        organisation_id=rng.choice(ORGANISATIONS),
        country_iso3=country,
        region_code=COUNTRIES[country][0] if rng.random() < 0.8 else None,
        bureau_code=COUNTRIES[country][2],
        components=parts,
        languages=subset(rng, LANGUAGES, 2),
        serves_any=rng.random() < 0.4,
        served_countries=subset(rng, sorted(COUNTRIES), 2),
        served_regions=subset(rng, ("002", "019", "150", "142", "202", "155"), 2),
        served_bureaux=subset(rng, ("wca", "americas", "europe", "asia_pacific"), 2),
        excluded_countries=subset(rng, sorted(COUNTRIES), 1) if rng.random() < 0.2 else frozenset(),
        capacity_left=rng.randint(1, 5) if rng.random() < 0.9 else rng.randint(-1, 0),
        starts_on=day(rng),
        ends_on=day(rng),
    )


@st.composite
def instances(
    draw: st.DrawFn, max_components: int = 30, max_offers: int = 30
) -> tuple[list[RequestComponent], list[Offer]]:
    """Sizes drawn by hypothesis (so failures shrink to small instances), records from a seeded generator:
    drawing every field through hypothesis would take most of the test time."""
    n_components = draw(st.integers(0, max_components))
    n_offers = draw(st.integers(0, max_offers))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    return [random_component(rng, i) for i in range(n_components)], [random_offer(rng, i) for i in range(n_offers)]


@st.composite
def any_criteria(draw: st.DrawFn) -> Criteria:
    """The defaults, or weights drawn from a small set (ties included) with some constraints turned off."""
    if draw(st.booleans()):
        return DEFAULT
    weights = st.sampled_from((0.0, 1.0, 2.5, 5.0, 10.0, 40.0, -5.0))
    return Criteria(
        version=2,
        hard={name: draw(st.booleans() | st.just(True)) for name in HARD_CONSTRAINTS},
        weights={name: draw(weights) for name in SCORED_CRITERIA},
        cross_regional_bonus=draw(weights),
        duplication_penalty=draw(weights),
        waiting_full_days=draw(st.integers(1, 400)),
    )


def milp_optimum(cs: Sequence[RequestComponent], os: Sequence[Offer], rules: Criteria) -> float:
    """The optimum, built independently: binary x_ij over feasible positive pairs, sum_j x_ij <= 1,
    sum_i x_ij <= capacity_j."""
    pairs = [
        (i, j, pair.score)
        for i, c in enumerate(cs)
        for j, o in enumerate(os)
        if (pair := score_pair(c, o, rules)).feasible and pair.score > 0
    ]
    if not pairs:
        return 0.0
    rows, columns, scores = zip(*pairs, strict=True)
    n = len(pairs)
    variables = np.arange(n)
    matrix = coo_matrix(
        (np.ones(2 * n), (np.concatenate([rows, len(cs) + np.array(columns)]), np.concatenate([variables] * 2))),
        shape=(len(cs) + len(os), n),
    )
    limits = np.concatenate([np.ones(len(cs)), [max(o.capacity_left, 0) for o in os]])
    result = milp(
        -np.array(scores),
        constraints=LinearConstraint(matrix, -np.inf, limits),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    assert result.success
    return float(-result.fun)


def reference_greedy(cs: Sequence[RequestComponent], os: Sequence[Offer], rules: Criteria) -> set[tuple[str, str]]:
    pairs = [pair for c in cs for o in os if (pair := score_pair(c, o, rules)).feasible and pair.score > 0]
    pairs.sort(key=lambda pair: (-pair.score, pair.component_id, pair.offer_id))
    left = {o.id: o.capacity_left for o in os}
    taken: set[str] = set()
    chosen = set()
    for pair in pairs:
        if pair.component_id not in taken and left[pair.offer_id] > 0:
            taken.add(pair.component_id)
            left[pair.offer_id] -= 1
            chosen.add((pair.component_id, pair.offer_id))
    return chosen


def check_allocation(result: Allocation, cs: Sequence[RequestComponent], os: Sequence[Offer], rules: Criteria) -> None:
    by_id_c = {c.id: c for c in cs}
    by_id_o = {o.id: o for o in os}
    assigned = [pair.component_id for pair in result.assignments]
    assert assigned == sorted(set(assigned))
    assert set(result.uncovered_component_ids) == set(by_id_c) - set(assigned)
    assert list(result.uncovered_component_ids) == sorted(result.uncovered_component_ids)
    for pair in result.assignments:
        assert pair == score_pair(by_id_c[pair.component_id], by_id_o[pair.offer_id], rules)
        assert pair.feasible
        assert pair.score > 0
    load: dict[str, int] = {}
    for pair in result.assignments:
        load[pair.offer_id] = load.get(pair.offer_id, 0) + 1
    assert all(count <= by_id_o[offer_id].capacity_left for offer_id, count in load.items())
    assert result.total_score == pytest.approx(sum(pair.score for pair in result.assignments), abs=1e-9)


@PROPERTY
@given(instances(), any_criteria(), st.randoms(use_true_random=False))
def test_allocation_is_valid_optimal_and_independent_of_input_order(
    instance: tuple[list[RequestComponent], list[Offer]], rules: Criteria, rng: random.Random
) -> None:
    cs, os = instance

    result = allocate(cs, os, rules)
    greedy = greedy_allocate(cs, os, rules)

    check_allocation(result, cs, os, rules)
    check_allocation(greedy, cs, os, rules)
    assert result.method == "optimal"
    assert greedy.method == "greedy"
    assert result.total_score >= greedy.total_score - 1e-9
    assert result.total_score == pytest.approx(milp_optimum(cs, os, rules), abs=1e-6)
    assert {(p.component_id, p.offer_id) for p in greedy.assignments} == reference_greedy(cs, os, rules)
    shuffled_cs, shuffled_os = cs[:], os[:]
    rng.shuffle(shuffled_cs)
    rng.shuffle(shuffled_os)
    assert allocate(cs, os, rules) == result
    assert allocate(shuffled_cs, shuffled_os, rules) == result
    assert greedy_allocate(shuffled_cs, shuffled_os, rules) == greedy


@PROPERTY
@given(instances(max_components=12, max_offers=40), any_criteria(), st.integers(0, 12), st.booleans())
def test_vectorised_ranking_agrees_with_the_reference(
    instance: tuple[list[RequestComponent], list[Offer]], rules: Criteria, k: int, include_infeasible: bool
) -> None:
    cs, os = instance
    offer_pool, component_pool = OfferPool(os), ComponentPool(cs)

    for c in cs:
        reference = rank_offers(c, os, rules, k=k, include_infeasible=include_infeasible)
        assert rank_offers(c, offer_pool, rules, k=k, include_infeasible=include_infeasible) == reference
    for o in os[:5]:
        reference = rank_components(o, cs, rules, k=k, include_infeasible=include_infeasible)
        assert rank_components(o, component_pool, rules, k=k, include_infeasible=include_infeasible) == reference


@PROPERTY
@given(instances(max_components=8, max_offers=40), any_criteria(), st.integers(0, 12), st.integers(0, 12))
def test_ranking_with_exclusions_is_the_feasible_ranking_and_the_best_infeasible_pairs(
    instance: tuple[list[RequestComponent], list[Offer]], rules: Criteria, k: int, k_excluded: int
) -> None:
    cs, os = instance
    pool = OfferPool(os)

    for c in cs:
        feasible, excluded = rank_offers_and_exclusions(c, pool, rules, k=k, k_excluded=k_excluded)
        assert feasible == rank_offers(c, os, rules, k=k)
        everything = rank_offers(c, os, rules, k=len(os), include_infeasible=True)
        assert excluded == [p for p in everything if not p.feasible][:k_excluded]
        assert all(p.failed for p in excluded)


@PROPERTY
@given(instances(max_components=5, max_offers=20), any_criteria())
def test_vectorised_scores_equal_score_pair_to_the_last_bit(
    instance: tuple[list[RequestComponent], list[Offer]], rules: Criteria
) -> None:
    cs, os = instance
    pool = OfferPool(os)

    for c in cs:
        everything = rank_offers(c, pool, rules, k=len(os), include_infeasible=True)
        by_offer = sorted(everything, key=lambda p: p.offer_id)
        assert by_offer == sorted((score_pair(c, o, rules) for o in os), key=lambda p: p.offer_id)
        assert all(pair.score == added_up(pair) for pair in everything)
        assert all(
            set(pair.failed) <= {name for name in HARD_CONSTRAINTS if rules.enforces(name)} for pair in everything
        )


@PROPERTY
@given(instances(max_components=4, max_offers=4), any_criteria())
def test_turning_off_the_failed_constraints_makes_any_pair_feasible_with_the_same_score(
    instance: tuple[list[RequestComponent], list[Offer]], rules: Criteria
) -> None:
    cs, os = instance

    for c in cs:
        for o in os:
            pair = score_pair(c, o, rules)
            relaxed = dataclasses.replace(rules, hard={**rules.hard, **dict.fromkeys(pair.failed, False)})
            again = score_pair(c, o, relaxed)
            assert again.feasible
            assert (again.contributions, again.score) == (pair.contributions, pair.score)


def test_large_candidate_lists_take_the_vectorised_path_with_the_same_result() -> None:
    rng = random.Random(7)
    many = [
        offer(
            id=f"o{index:03d}",
            components=(
                OfferComponent(rng.choice(AREAS), frozenset(rng.sample(MODALITIES, 2)), frozenset({"technical"})),
            ),
            languages=frozenset(rng.sample(LANGUAGES, 2)),
            region_code=rng.choice(("002", "150", None)),
            capacity_left=rng.randint(0, 2),
        )
        for index in range(300)
    ]
    c = component(area_code="procedures")

    expected = sorted(
        (p for p in (score_pair(c, o, DEFAULT) for o in many) if p.feasible), key=lambda p: (-p.score, p.offer_id)
    )[:25]

    assert rank_offers(c, many, DEFAULT, k=25) == expected


def test_more_than_64_distinct_tokens_spill_into_several_mask_words() -> None:
    languages = [f"l{index:03d}" for index in range(150)]
    os = [
        offer(id=f"o{index:03d}", languages=frozenset({languages[index], languages[-1 - index]})) for index in range(75)
    ]
    c = component(languages=frozenset({languages[140], languages[3]}), id="c")

    ranked = rank_offers(c, OfferPool(os), DEFAULT, k=75)

    assert ranked == rank_offers(c, os, DEFAULT, k=75)
    assert [pair.offer_id for pair in ranked] == ["o003", "o009"]


def test_codes_only_one_side_knows_match_nothing() -> None:
    pool = ComponentPool([component(id="c1"), component(id="c2", region_code=None)])
    stranger = offer(region_code="009", served_regions=frozenset({"009"}), serves_any=False)

    assert rank_components(stranger, pool, DEFAULT) == []
    ranked = rank_components(stranger, pool, DEFAULT, include_infeasible=True)
    assert [(p.component_id, p.failed, p.contributions["cross_regional"]) for p in ranked] == [
        ("c1", ("serves_country",), 5.0),
        ("c2", ("serves_country",), 0.0),
    ]


@pytest.mark.parametrize("served", ["019", "419", "013"])
def test_an_offer_serving_any_level_of_a_countrys_m49_regions_serves_it(served: str) -> None:
    # Mexico: Americas (019) > Latin America and the Caribbean (419) > Central America (013).
    mexico = component(
        country_iso3="MEX",
        region_code="019",
        subregion_code="419",
        intermediate_code="013",
        bureau_code="americas",
        languages=frozenset({"es"}),
    )
    serving = offer(id="o-served", served_regions=frozenset({served}), languages=frozenset({"es"}))
    elsewhere = offer(id="o-elsewhere", served_regions=frozenset({"202"}), languages=frozenset({"es"}))
    assert "serves_country" not in score_pair(mexico, serving, DEFAULT).failed
    assert "serves_country" in score_pair(mexico, elsewhere, DEFAULT).failed
    # The vectorised paths (ranking over a pool, allocation) agree with the pair scorer.
    assert [p.offer_id for p in rank_offers(mexico, OfferPool([serving, elsewhere]), DEFAULT, k=5)] == ["o-served"]
    assert [(p.component_id, p.offer_id) for p in allocate([mexico], [serving, elsewhere], DEFAULT).assignments] == [
        ("c1", "o-served")
    ]


# ------------------------------------------------------------------------------------------- allocation cases


def test_the_optimum_gives_up_the_best_pair_when_that_covers_more() -> None:
    # Both components rank o-exact first; only c1 has an alternative, o-sibling (a sibling area).
    c1 = component(id="c1", pledge_linked=True)
    c2 = component(id="c2", country_iso3="MEX", region_code="019", subregion_code="419", bureau_code="americas")
    exact = offer(id="o-exact", capacity_left=1, serves_any=True)
    sibling = offer(
        id="o-sibling",
        capacity_left=1,
        components=(OfferComponent("procedures.coi", frozenset({"training"}), frozenset({"technical"})),),
    )

    optimal = allocate([c1, c2], [exact, sibling], DEFAULT)
    greedy = greedy_allocate([c1, c2], [exact, sibling], DEFAULT)

    assert [(p.component_id, p.offer_id) for p in optimal.assignments] == [("c1", "o-sibling"), ("c2", "o-exact")]
    assert [(p.component_id, p.offer_id) for p in greedy.assignments] == [("c1", "o-exact")]
    assert greedy.uncovered_component_ids == ("c2",)
    assert optimal.total_score > greedy.total_score


def test_allocation_respects_capacity_even_when_the_constraint_is_off() -> None:
    cs = [component(id=f"c{index}") for index in range(4)]
    os = [offer(id="o-full", capacity_left=0), offer(id="o-two", capacity_left=2)]
    rules = criteria(hard={**DEFAULT.hard, "capacity_left": False})

    result = allocate(cs, os, rules)

    assert [p.offer_id for p in result.assignments] == ["o-two", "o-two"]
    assert len(result.uncovered_component_ids) == 2


def test_a_pair_without_a_positive_score_is_never_assigned() -> None:
    rules = criteria(weights=dict.fromkeys(SCORED_CRITERIA, 0.0), cross_regional_bonus=0.0)
    zero, negative = component(id="c-zero"), component(id="c-negative", duplicated=True)

    assert score_pair(zero, offer(), rules).score == 0
    assert score_pair(negative, offer(), rules).score == -15
    for allocation in (allocate, greedy_allocate):
        result = allocation([zero, negative], [offer()], rules)
        assert result.assignments == ()
        assert result.uncovered_component_ids == ("c-negative", "c-zero")


def test_empty_inputs_and_duplicate_ids() -> None:
    assert allocate([], [], DEFAULT) == Allocation((), 0.0, (), "optimal")
    assert allocate([component()], [], DEFAULT).uncovered_component_ids == ("c1",)
    with pytest.raises(ValueError, match="duplicate offer id: o1"):
        allocate([component()], [offer(), offer()], DEFAULT)
    with pytest.raises(ValueError, match="k cannot be negative"):
        rank_offers(component(), [offer()], DEFAULT, k=-1)
