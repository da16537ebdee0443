"""The matching engine: scores (request component, offer) pairs, ranks candidates and allocates offers.

Pure and deterministic: no database, no I/O, no clock. The service layer turns records into the frozen
dataclasses below and stores what comes back: `PairScore.contributions` is the per-criterion breakdown kept
with every proposal, next to `Criteria.version`.

- `score_pair` scores one pair in plain Python. It is the reference the vectorised code is tested against.
- `rank_offers` / `rank_components` return the best candidates for one component (or one offer). Large
  candidate sets are scored column-wise with numpy; build an `OfferPool` / `ComponentPool` once and reuse it,
  because turning tens of thousands of records into arrays costs more than scoring them.
- `allocate` computes an optimal assignment (maximum total score; each component at most once; each offer at
  most `capacity_left` times; only feasible pairs with a positive score) and `greedy_allocate` the baseline.

Both paths do the same floating-point operations in the same order, so they agree to the last bit, and so do
the rankings and tie-breaks that depend on them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final, TypeVar

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

HARD_CONSTRAINTS: Final[tuple[str, ...]] = (
    "technical_exchange",
    "in_scope",
    "area_related",
    "serves_country",
    "shared_language",
    "capacity_left",
    "no_exclusion",
    "timeframe_overlap",
)
SCORED_CRITERIA: Final[tuple[str, ...]] = (
    "area_exact",
    "area_parent",
    "modality",
    "support_type",
    "language",
    "pledge_linked",
    "establishing_system",
    "urgency",
    "waiting",
    "regional",
)
# Every contribution, in the order they are added up (the order is part of the result: see the module doc).
CONTRIBUTIONS: Final[tuple[str, ...]] = (*SCORED_CRITERIA, "cross_regional", "duplication")

TECHNICAL: Final = "technical"
URGENCY_MAX: Final = 3
OPTIMAL: Final = "optimal"
GREEDY: Final = "greedy"

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
MaskArray = npt.NDArray[np.uint64]


# --------------------------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True, slots=True)
class Criteria:
    """One version of the matching criteria, as edited by the Secretariat.

    A hard constraint missing from `hard` is enforced (the safe default); a weight missing from `weights`
    counts as 0. `waiting_full_days` is where the waiting-time curve reaches its full weight.
    """

    version: int
    hard: Mapping[str, bool]
    weights: Mapping[str, float]
    cross_regional_bonus: float
    duplication_penalty: float
    waiting_full_days: int

    def __post_init__(self) -> None:
        unknown = sorted(set(self.hard) - set(HARD_CONSTRAINTS)) + sorted(set(self.weights) - set(SCORED_CRITERIA))
        if unknown:
            raise ValueError(f"unknown criteria: {', '.join(unknown)}")
        numbers = [*self.weights.values(), self.cross_regional_bonus, self.duplication_penalty]
        if not all(math.isfinite(number) for number in numbers):
            raise ValueError("weights, bonus and penalty must be finite numbers")
        if self.waiting_full_days < 1:
            raise ValueError("waiting_full_days must be at least 1")
        # Read-only copies: one Criteria is shared by every ranking that runs with it.
        object.__setattr__(self, "hard", MappingProxyType(dict(self.hard)))
        object.__setattr__(self, "weights", MappingProxyType({k: float(v) for k, v in self.weights.items()}))
        object.__setattr__(self, "cross_regional_bonus", float(self.cross_regional_bonus))
        object.__setattr__(self, "duplication_penalty", float(self.duplication_penalty))

    def enforces(self, constraint: str) -> bool:
        """Whether the hard constraint `constraint` is checked."""
        return self.hard.get(constraint, True)

    def weight(self, criterion: str) -> float:
        """The weight of a scored criterion."""
        return self.weights.get(criterion, 0.0)


def default_criteria() -> Criteria:
    """The default criteria (domain brief, section 5): every hard constraint on, area fit weighing most."""
    return Criteria(
        version=1,
        hard=dict.fromkeys(HARD_CONSTRAINTS, True),
        weights={
            "area_exact": 40.0,
            "area_parent": 15.0,
            "modality": 10.0,
            "support_type": 5.0,
            "language": 5.0,
            "pledge_linked": 10.0,
            "establishing_system": 10.0,
            "urgency": 10.0,
            "waiting": 10.0,
            "regional": 5.0,
        },
        cross_regional_bonus=5.0,
        duplication_penalty=15.0,
        waiting_full_days=365,
    )


@dataclass(frozen=True, slots=True)
class RequestComponent:
    """One component of a request for support: one area of the taxonomy, as the matching engine sees it."""

    id: str
    request_id: str
    country_iso3: str
    region_code: str | None
    subregion_code: str | None
    bureau_code: str | None
    area_code: str
    modalities: frozenset[str]
    support_types: frozenset[str]
    languages: frozenset[str]
    in_scope: bool
    pledge_linked: bool
    establishing_system: bool
    urgency: int
    waited_days: int
    duplicated: bool
    starts_on: date | None
    ends_on: date | None
    excluded_organisation_ids: frozenset[str] = frozenset()
    # The M49 intermediate region where there is one (e.g. Central America inside Latin America and the
    # Caribbean): an offer may serve any of the three levels.
    intermediate_code: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.urgency <= URGENCY_MAX:
            raise ValueError(f"urgency must be between 0 and {URGENCY_MAX}")
        if self.waited_days < 0:
            raise ValueError("waited_days cannot be negative")


@dataclass(frozen=True, slots=True)
class OfferComponent:
    """One area an offer covers, with the modalities and support types it brings there."""

    area_code: str
    modalities: frozenset[str]
    support_types: frozenset[str]


@dataclass(frozen=True, slots=True)
class Offer:
    """An offer of support; `capacity_left` is how many more request components it can take on."""

    id: str
    organisation_id: str
    country_iso3: str | None
    region_code: str | None
    bureau_code: str | None
    components: tuple[OfferComponent, ...]
    languages: frozenset[str]
    serves_any: bool
    served_countries: frozenset[str]
    served_regions: frozenset[str]
    served_bureaux: frozenset[str]
    excluded_countries: frozenset[str]
    capacity_left: int
    starts_on: date | None
    ends_on: date | None

    def __post_init__(self) -> None:
        if not self.components:
            raise ValueError("an offer has at least one component")


@dataclass(frozen=True, slots=True)
class PairScore:
    """The evaluation of one (request component, offer) pair.

    `failed` names the hard constraints the pair breaks (in `HARD_CONSTRAINTS` order); `contributions` has every
    name of `CONTRIBUTIONS`, zeros included, and adds up (in that order) to `score`. Infeasible pairs carry
    their would-be score too, so that the interface can explain why a candidate was set aside.
    """

    component_id: str
    offer_id: str
    feasible: bool
    failed: tuple[str, ...]
    contributions: Mapping[str, float]
    score: float


@dataclass(frozen=True, slots=True)
class Allocation:
    """An assignment of offers to request components."""

    assignments: tuple[PairScore, ...]
    total_score: float
    uncovered_component_ids: tuple[str, ...]
    method: str


# --------------------------------------------------------------------------------------------------------------
# Reference path: one pair, plain Python


def _parent(area_code: str) -> str:
    return area_code.split(".", 1)[0]


def _relation(wanted: str, offered: str) -> int:
    """2: the same area; 1: the same top-level area; 0: unrelated."""
    if wanted == offered:
        return 2
    return 1 if _parent(wanted) == _parent(offered) else 0


def _fit(weight: float, wanted: frozenset[str], offered: frozenset[str]) -> float:
    if not wanted:
        return weight
    return weight * len(wanted & offered) / len(wanted)


def _overlaps(starts: date | None, ends: date | None, other_starts: date | None, other_ends: date | None) -> bool:
    return (starts is None or other_ends is None or starts <= other_ends) and (
        other_starts is None or ends is None or other_starts <= ends
    )


def _failures(component: RequestComponent, offer: Offer, criteria: Criteria) -> tuple[str, ...]:
    c, o = component, offer
    holds = {
        "technical_exchange": any(TECHNICAL in part.support_types for part in o.components),
        "in_scope": c.in_scope,
        "area_related": any(_relation(c.area_code, part.area_code) > 0 for part in o.components),
        "serves_country": o.serves_any
        or c.country_iso3 in o.served_countries
        or (c.region_code is not None and c.region_code in o.served_regions)
        or (c.subregion_code is not None and c.subregion_code in o.served_regions)
        or (c.intermediate_code is not None and c.intermediate_code in o.served_regions)
        or (c.bureau_code is not None and c.bureau_code in o.served_bureaux),
        "shared_language": not c.languages or not o.languages or not c.languages.isdisjoint(o.languages),
        "capacity_left": o.capacity_left > 0,
        "no_exclusion": c.country_iso3 not in o.excluded_countries
        and o.organisation_id not in c.excluded_organisation_ids,
        "timeframe_overlap": _overlaps(c.starts_on, c.ends_on, o.starts_on, o.ends_on),
    }
    return tuple(name for name in HARD_CONSTRAINTS if criteria.enforces(name) and not holds[name])


def _contributions(component: RequestComponent, offer: Offer, criteria: Criteria) -> dict[str, float]:
    c, o, w = component, offer, criteria.weight
    # The best offer component: the closest area first, then the best modality and support-type fit; the first
    # of equals wins (the vectorised path walks the components in the same order).
    level, modality, support = -1, 0.0, 0.0
    for part in o.components:
        part_level = _relation(c.area_code, part.area_code)
        part_modality = _fit(w("modality"), c.modalities, part.modalities)
        part_support = _fit(w("support_type"), c.support_types, part.support_types)
        if part_level > level or (part_level == level and part_modality + part_support > modality + support):
            level, modality, support = part_level, part_modality, part_support
    known_regions = c.region_code is not None and o.region_code is not None
    return {
        "area_exact": w("area_exact") if level == 2 else 0.0,
        "area_parent": w("area_parent") if level == 1 else 0.0,
        "modality": modality,
        "support_type": support,
        "language": w("language") if not c.languages.isdisjoint(o.languages) else 0.0,
        "pledge_linked": w("pledge_linked") if c.pledge_linked else 0.0,
        "establishing_system": w("establishing_system") if c.establishing_system else 0.0,
        "urgency": w("urgency") * c.urgency / URGENCY_MAX,
        "waiting": w("waiting") * min(c.waited_days, criteria.waiting_full_days) / criteria.waiting_full_days,
        "regional": w("regional") if known_regions and o.region_code == c.region_code else 0.0,
        "cross_regional": criteria.cross_regional_bonus if known_regions and o.region_code != c.region_code else 0.0,
        "duplication": -criteria.duplication_penalty if c.duplicated else 0.0,
    }


def _total(contributions: Mapping[str, float]) -> float:
    total = 0.0
    for name in CONTRIBUTIONS:
        total += contributions[name]
    return total


def score_pair(component: RequestComponent, offer: Offer, criteria: Criteria) -> PairScore:
    """Check the hard constraints and compute the score of one pair, with its per-criterion breakdown."""
    failed = _failures(component, offer, criteria)
    contributions = _contributions(component, offer, criteria)
    return PairScore(component.id, offer.id, not failed, failed, contributions, _total(contributions))


# --------------------------------------------------------------------------------------------------------------
# Vectorised path: records as columns of small integers and bit masks

# Dates as ordinals; open bounds lie beyond every real date.
_NO_START: Final = date.min.toordinal() - 1
_NO_END: Final = date.max.toordinal() + 1
_WORD: Final = (1 << 64) - 1


class _Codes:
    """Codes numbered from 1: 0 stands for "none" and `unknown` for a code never registered.

    Lookup tables indexed by these numbers have `width` columns, with "none" and "unknown" all False, so a code
    only one side has (say a region no offer of a pool mentions) matches nothing, as it should.
    """

    __slots__ = ("numbers",)

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def add(self, code: str | None) -> None:
        if code is not None and code not in self.numbers:
            self.numbers[code] = len(self.numbers) + 1

    def number(self, code: str | None) -> int:
        return 0 if code is None else self.numbers.get(code, self.unknown)

    @property
    def unknown(self) -> int:
        return len(self.numbers) + 1

    @property
    def width(self) -> int:
        return len(self.numbers) + 2


class _Tokens:
    """Token sets (languages, modalities, support types) as bit masks of `words` 64-bit words."""

    __slots__ = ("bits",)

    def __init__(self) -> None:
        self.bits: dict[str, int] = {}

    def add(self, tokens: Iterable[str]) -> None:
        for token in tokens:
            if token not in self.bits:
                self.bits[token] = len(self.bits)

    def mask(self, tokens: Iterable[str]) -> int:
        # Tokens never registered are dropped: nobody on the other side has them, so they cannot be shared.
        # Set sizes (the denominators of the fit terms) are taken from the records, not from the masks.
        bits = self.bits
        return sum(1 << bits[token] for token in tokens if token in bits)

    @property
    def words(self) -> int:
        return max(1, -(-len(self.bits) // 64))


def _mask_array(masks: Sequence[int], words: int) -> MaskArray:
    array = np.zeros((len(masks), words), dtype=np.uint64)
    for word in range(words):
        array[:, word] = [(mask >> (64 * word)) & _WORD for mask in masks]
    return array


def _ordinal(day: date | None, default: int) -> int:
    return default if day is None else day.toordinal()


def _place(kind: str, code: str | None) -> str | None:
    # Countries, M49 regions/subregions and bureaux share one numbering; the prefix keeps them apart.
    return None if code is None else f"{kind}:{code}"


class _Encoder:
    """The vocabularies of one side (a pool) or of both sides (an allocation)."""

    __slots__ = ("areas", "languages", "modalities", "organisations", "parents", "places", "support_types")

    def __init__(self) -> None:
        self.places = _Codes()
        self.areas = _Codes()
        self.parents = _Codes()
        self.organisations = _Codes()
        self.modalities = _Tokens()
        self.support_types = _Tokens()
        self.languages = _Tokens()

    def add_components(self, components: Iterable[RequestComponent]) -> None:
        for c in components:
            self.places.add(_place("c", c.country_iso3))
            self.places.add(_place("r", c.region_code))
            self.places.add(_place("r", c.subregion_code))
            self.places.add(_place("r", c.intermediate_code))
            self.places.add(_place("b", c.bureau_code))
            self.areas.add(c.area_code)
            self.parents.add(_parent(c.area_code))
            self.modalities.add(c.modalities)
            self.support_types.add(c.support_types)
            self.languages.add(c.languages)
            for organisation in c.excluded_organisation_ids:
                self.organisations.add(organisation)

    def add_offers(self, offers: Iterable[Offer]) -> None:
        for o in offers:
            self.organisations.add(o.organisation_id)
            self.places.add(_place("r", o.region_code))
            for country in o.served_countries | o.excluded_countries:
                self.places.add(_place("c", country))
            for region in o.served_regions:
                self.places.add(_place("r", region))
            for bureau in o.served_bureaux:
                self.places.add(_place("b", bureau))
            for part in o.components:
                self.areas.add(part.area_code)
                self.parents.add(_parent(part.area_code))
                self.modalities.add(part.modalities)
                self.support_types.add(part.support_types)
            self.languages.add(o.languages)


@dataclass(frozen=True, slots=True)
class _ComponentColumns:
    country: IntArray
    region: IntArray
    subregion: IntArray
    intermediate: IntArray
    bureau: IntArray
    area: IntArray
    parent: IntArray
    modalities: MaskArray
    modality_count: IntArray
    support_types: MaskArray
    support_type_count: IntArray
    languages: MaskArray
    language_count: IntArray
    in_scope: BoolArray
    pledge_linked: BoolArray
    establishing_system: BoolArray
    urgency: IntArray
    waited_days: IntArray
    duplicated: BoolArray
    starts: IntArray
    ends: IntArray
    # Refusals as sorted keys component * organisations.width + organisation.
    exclusion_keys: IntArray
    has_exclusions: BoolArray


def _component_columns(components: Sequence[RequestComponent], encoder: _Encoder) -> _ComponentColumns:
    places, organisations = encoder.places, encoder.organisations
    exclusion_keys = sorted(
        row * organisations.width + organisations.number(organisation)
        for row, c in enumerate(components)
        for organisation in c.excluded_organisation_ids
        if organisation in organisations.numbers
    )

    def integers(values: Iterable[int]) -> IntArray:
        return np.fromiter(values, dtype=np.int64, count=len(components))

    def booleans(values: Iterable[bool]) -> BoolArray:
        return np.fromiter(values, dtype=np.bool_, count=len(components))

    return _ComponentColumns(
        country=integers(places.number(_place("c", c.country_iso3)) for c in components),
        region=integers(places.number(_place("r", c.region_code)) for c in components),
        subregion=integers(places.number(_place("r", c.subregion_code)) for c in components),
        intermediate=integers(places.number(_place("r", c.intermediate_code)) for c in components),
        bureau=integers(places.number(_place("b", c.bureau_code)) for c in components),
        area=integers(encoder.areas.number(c.area_code) for c in components),
        parent=integers(encoder.parents.number(_parent(c.area_code)) for c in components),
        modalities=_mask_array([encoder.modalities.mask(c.modalities) for c in components], encoder.modalities.words),
        modality_count=integers(len(c.modalities) for c in components),
        support_types=_mask_array(
            [encoder.support_types.mask(c.support_types) for c in components], encoder.support_types.words
        ),
        support_type_count=integers(len(c.support_types) for c in components),
        languages=_mask_array([encoder.languages.mask(c.languages) for c in components], encoder.languages.words),
        language_count=integers(len(c.languages) for c in components),
        in_scope=booleans(c.in_scope for c in components),
        pledge_linked=booleans(c.pledge_linked for c in components),
        establishing_system=booleans(c.establishing_system for c in components),
        urgency=integers(c.urgency for c in components),
        waited_days=integers(c.waited_days for c in components),
        duplicated=booleans(c.duplicated for c in components),
        starts=integers(_ordinal(c.starts_on, _NO_START) for c in components),
        ends=integers(_ordinal(c.ends_on, _NO_END) for c in components),
        exclusion_keys=np.array(exclusion_keys, dtype=np.int64),
        has_exclusions=booleans(bool(c.excluded_organisation_ids) for c in components),
    )


@dataclass(frozen=True, slots=True)
class _OfferColumns:
    organisation: IntArray
    region: IntArray
    # Tables are stored "by row of the small dimension" (part x offer, place x offer) so that everything one
    # component needs from all offers is a contiguous row: ranking 50,000 offers reads rows, not strided columns.
    # One row per offer component position, padded to the longest offer (`part_valid` marks the real ones).
    part_area: IntArray
    part_parent: IntArray
    part_valid: BoolArray
    part_modalities: MaskArray
    part_support_types: MaskArray
    has_parent: BoolArray  # parent number x offer: some component of the offer is under that parent
    technical: BoolArray
    languages: MaskArray
    language_count: IntArray
    serves_any: BoolArray
    served: BoolArray  # place number x offer
    excluded: BoolArray  # place number x offer
    capacity: IntArray
    starts: IntArray
    ends: IntArray


def _offer_columns(offers: Sequence[Offer], encoder: _Encoder) -> _OfferColumns:
    n = len(offers)
    places, areas, parents = encoder.places, encoder.areas, encoder.parents
    parts = max((len(o.components) for o in offers), default=1)
    part_area = np.zeros((n, parts), dtype=np.int64)
    part_parent = np.zeros((n, parts), dtype=np.int64)
    part_valid = np.zeros((n, parts), dtype=np.bool_)
    part_modalities = np.zeros((n, parts, encoder.modalities.words), dtype=np.uint64)
    part_support_types = np.zeros((n, parts, encoder.support_types.words), dtype=np.uint64)
    has_parent = np.zeros((n, parents.width), dtype=np.bool_)
    served = np.zeros((n, places.width), dtype=np.bool_)
    excluded = np.zeros((n, places.width), dtype=np.bool_)
    for row, o in enumerate(offers):
        for column, part in enumerate(o.components):
            part_area[row, column] = areas.number(part.area_code)
            part_parent[row, column] = parents.number(_parent(part.area_code))
            part_valid[row, column] = True
        served_places = [
            *(_place("c", country) for country in o.served_countries),
            *(_place("r", region) for region in o.served_regions),
            *(_place("b", bureau) for bureau in o.served_bureaux),
        ]
        served[row, [places.number(place) for place in served_places]] = True
        excluded[row, [places.number(_place("c", country)) for country in o.excluded_countries]] = True
    has_parent[np.arange(n)[:, None], part_parent] = part_valid
    # An offer ranked against a component pool may name places or areas no component has: they get the number
    # `unknown`, and that column must match nothing, like the "none" column.
    for table, codes in ((has_parent, parents), (served, places), (excluded, places)):
        table[:, [0, codes.unknown]] = False
    for column in range(parts):
        part_modalities[:, column] = _mask_array(
            [
                encoder.modalities.mask(o.components[column].modalities) if column < len(o.components) else 0
                for o in offers
            ],
            encoder.modalities.words,
        )
        part_support_types[:, column] = _mask_array(
            [
                encoder.support_types.mask(o.components[column].support_types) if column < len(o.components) else 0
                for o in offers
            ],
            encoder.support_types.words,
        )

    def integers(values: Iterable[int]) -> IntArray:
        return np.fromiter(values, dtype=np.int64, count=n)

    def booleans(values: Iterable[bool]) -> BoolArray:
        return np.fromiter(values, dtype=np.bool_, count=n)

    return _OfferColumns(
        organisation=integers(encoder.organisations.number(o.organisation_id) for o in offers),
        region=integers(places.number(_place("r", o.region_code)) for o in offers),
        part_area=np.ascontiguousarray(part_area.T),
        part_parent=np.ascontiguousarray(part_parent.T),
        part_valid=np.ascontiguousarray(part_valid.T),
        part_modalities=np.ascontiguousarray(part_modalities.transpose(1, 0, 2)),
        part_support_types=np.ascontiguousarray(part_support_types.transpose(1, 0, 2)),
        has_parent=np.ascontiguousarray(has_parent.T),
        technical=booleans(any(TECHNICAL in part.support_types for part in o.components) for o in offers),
        languages=_mask_array([encoder.languages.mask(o.languages) for o in offers], encoder.languages.words),
        language_count=integers(len(o.languages) for o in offers),
        serves_any=booleans(o.serves_any for o in offers),
        served=np.ascontiguousarray(served.T),
        excluded=np.ascontiguousarray(excluded.T),
        capacity=integers(o.capacity_left for o in offers),
        starts=integers(_ordinal(o.starts_on, _NO_START) for o in offers),
        ends=integers(_ordinal(o.ends_on, _NO_END) for o in offers),
    )


def _shared(wanted: MaskArray, offered: MaskArray) -> IntArray:
    """How many tokens each pair shares (masks of shape pairs x words)."""
    if wanted.shape[-1] == 1:
        # The usual case (fewer than 64 tokens): no reduction over a one-word axis.
        single: IntArray = np.bitwise_count(wanted[..., 0] & offered[..., 0]).astype(np.int64)
        return single
    shared: IntArray = np.bitwise_count(wanted & offered).sum(axis=-1, dtype=np.int64)
    return shared


def _fit_column(weight: float, wanted: MaskArray, count: IntArray | np.int64, offered: MaskArray) -> FloatArray | float:
    # Same operations as `_fit`: weight * shared / wanted, or the full weight when nothing in particular is wanted.
    if np.ndim(count) == 0:
        # One component against many offers: its count decides for every pair at once.
        if count == 0:
            return weight
        single: FloatArray = weight * _shared(wanted, offered) / count
        return single
    fit: FloatArray = weight * _shared(wanted, offered) / np.maximum(count, 1)
    return np.where(count == 0, weight, fit)


# How `_Pairs` picks one side's rows: an array of row numbers (one per pair), one row for every pair (an int),
# or every row in order (`slice(None)`). The last two select views instead of copies, which is what makes ranking
# one component against 50,000 offers cheap: nothing of the large side is gathered.
_Rows = IntArray | int | slice


class _Pairs:
    """Pairs (component ci[k], offer oj[k]) over prepared columns, evaluated one criterion at a time."""

    __slots__ = ("c", "ci", "o", "oj", "organisation_width", "size")

    def __init__(
        self, c: _ComponentColumns, ci: _Rows, o: _OfferColumns, oj: _Rows, encoder: _Encoder, size: int | None = None
    ) -> None:
        self.c, self.ci, self.o, self.oj = c, ci, o, oj
        self.organisation_width = encoder.organisations.width
        if size is None:
            assert isinstance(ci, np.ndarray), "pairs given by rows need an explicit size"
            size = ci.shape[0]
        self.size = size

    @classmethod
    def one_component(cls, c: _ComponentColumns, o: _OfferColumns, encoder: _Encoder, offers: int) -> _Pairs:
        """The only component of `c` against every offer of `o`."""
        return cls(c, 0, o, slice(None), encoder, offers)

    @classmethod
    def one_offer(cls, c: _ComponentColumns, o: _OfferColumns, encoder: _Encoder, components: int) -> _Pairs:
        """Every component of `c` against the only offer of `o`."""
        return cls(c, slice(None), o, 0, encoder, components)

    def _full(self, column: BoolArray | np.bool_) -> BoolArray:
        """A column with one value per pair (a side given as a single row yields scalars)."""
        return np.broadcast_to(column, (self.size,))

    def _full_numbers(self, column: FloatArray | float) -> FloatArray:
        return np.broadcast_to(column, (self.size,))

    def _numbers(self, rows: _Rows) -> IntArray:
        if isinstance(rows, np.ndarray):
            return rows
        if isinstance(rows, int):
            return np.full(self.size, rows, dtype=np.int64)
        return np.arange(self.size, dtype=np.int64)

    def failures(self, criteria: Criteria, constraints: Iterable[str] = HARD_CONSTRAINTS) -> dict[str, BoolArray]:
        """For each enforced constraint among `constraints`: which pairs break it."""
        c, ci, o, oj = self.c, self.ci, self.o, self.oj
        failing: dict[str, BoolArray] = {}
        for name in constraints:
            if not criteria.enforces(name):
                continue
            holds: BoolArray
            if name == "technical_exchange":
                holds = o.technical[oj]
            elif name == "in_scope":
                holds = c.in_scope[ci]
            elif name == "area_related":
                # The same area implies the same top-level area.
                parent = c.parent[ci]
                holds = np.zeros(self.size, dtype=np.bool_)
                for column in range(o.part_parent.shape[0]):
                    holds |= o.part_valid[column, oj] & (o.part_parent[column, oj] == parent)
            elif name == "serves_country":
                # A copy: the loop below ors into it, and `oj` may select a view of the offers' column.
                holds = np.array(self._full(o.serves_any[oj]))
                for place in (c.country, c.region, c.subregion, c.intermediate, c.bureau):
                    holds |= o.served[place[ci], oj]
            elif name == "shared_language":
                holds = (
                    (c.language_count[ci] == 0)
                    | (o.language_count[oj] == 0)
                    | (_shared(c.languages[ci], o.languages[oj]) > 0)
                )
            elif name == "capacity_left":
                holds = o.capacity[oj] > 0
            elif name == "no_exclusion":
                holds = np.array(self._full(~o.excluded[c.country[ci], oj]))
                refusing = np.flatnonzero(self._full(c.has_exclusions[ci]))
                if refusing.size:
                    keys = (
                        self._numbers(ci)[refusing] * self.organisation_width
                        + o.organisation[self._numbers(oj)[refusing]]
                    )
                    holds[refusing] &= ~np.isin(keys, c.exclusion_keys)
            elif name == "timeframe_overlap":
                holds = (c.starts[ci] <= o.ends[oj]) & (o.starts[oj] <= c.ends[ci])
            else:
                raise ValueError(f"unknown hard constraint: {name}")
            failing[name] = self._full(~holds)
        return failing

    def contributions(self, criteria: Criteria) -> Iterator[tuple[str, FloatArray]]:
        """Each contribution column, in `CONTRIBUTIONS` order (yielded one by one to keep memory flat)."""
        for name, column in self._terms(criteria):
            yield name, self._full_numbers(column)

    def scores(self, criteria: Criteria) -> FloatArray:
        # Summed in `CONTRIBUTIONS` order, like `_total`, so that a pair's rank agrees with its reported score to
        # the last bit (terms that are single numbers are still added in their place, not folded together).
        total = np.zeros(self.size, dtype=np.float64)
        for _, term in self._terms(criteria):
            total += term
        return total

    def _terms(self, criteria: Criteria) -> Iterator[tuple[str, FloatArray | float]]:
        """The contributions, in `CONTRIBUTIONS` order; a term is a number when it is the same for every pair."""
        c, ci, o, oj, w = self.c, self.ci, self.o, self.oj, criteria.weight
        zeros = np.zeros(self.size, dtype=np.float64)

        def when(condition: BoolArray | np.bool_, value: float) -> FloatArray | float:
            if np.ndim(condition) == 0:
                return value if condition else 0.0
            return np.where(condition, value, zeros)

        level, modality, support = self._best_parts(criteria)
        yield "area_exact", np.where(level == 2, w("area_exact"), zeros)
        yield "area_parent", np.where(level == 1, w("area_parent"), zeros)
        yield "modality", modality
        yield "support_type", support
        yield "language", when(_shared(c.languages[ci], o.languages[oj]) > 0, w("language"))
        yield "pledge_linked", when(c.pledge_linked[ci], w("pledge_linked"))
        yield "establishing_system", when(c.establishing_system[ci], w("establishing_system"))
        yield "urgency", w("urgency") * c.urgency[ci] / URGENCY_MAX
        waiting_full = criteria.waiting_full_days
        yield "waiting", w("waiting") * np.minimum(c.waited_days[ci], waiting_full) / waiting_full
        region, offer_region = c.region[ci], o.region[oj]
        known = (region != 0) & (offer_region != 0)
        yield "regional", when(known & (region == offer_region), w("regional"))
        yield "cross_regional", when(known & (region != offer_region), criteria.cross_regional_bonus)
        yield "duplication", when(c.duplicated[ci], -criteria.duplication_penalty)

    def _best_parts(self, criteria: Criteria) -> tuple[npt.NDArray[np.int8], FloatArray, FloatArray]:
        """Per pair, the area relation and fit terms of the best offer component (as in `_contributions`)."""
        c, ci, o, oj = self.c, self.ci, self.o, self.oj
        area, parent = c.area[ci], c.parent[ci]
        modalities, modality_count = c.modalities[ci], c.modality_count[ci]
        support_types, support_type_count = c.support_types[ci], c.support_type_count[ci]
        best_level = np.full(self.size, -1, dtype=np.int8)
        best_modality = np.zeros(self.size, dtype=np.float64)
        best_support = np.zeros(self.size, dtype=np.float64)
        best_fit = np.zeros(self.size, dtype=np.float64)
        modality_weight, support_weight = criteria.weight("modality"), criteria.weight("support_type")
        for column in range(o.part_area.shape[0]):
            # 2 for the same area, 1 for the same top-level area only (the same area implies the same parent).
            level = (o.part_area[column, oj] == area).astype(np.int8)
            level += o.part_parent[column, oj] == parent
            level = np.where(o.part_valid[column, oj], level, np.int8(-2))
            modality = _fit_column(modality_weight, modalities, modality_count, o.part_modalities[column, oj])
            support = _fit_column(support_weight, support_types, support_type_count, o.part_support_types[column, oj])
            fit = modality + support
            better = (level > best_level) | ((level == best_level) & (fit > best_fit))
            best_level = np.where(better, level, best_level)
            best_modality = np.where(better, modality, best_modality)
            best_support = np.where(better, support, best_support)
            best_fit = np.where(better, fit, best_fit)
        return best_level, best_modality, best_support


def _pair_scores(
    pairs: _Pairs, criteria: Criteria, component_ids: Sequence[str], offer_ids: Sequence[str]
) -> list[PairScore]:
    """Full `PairScore`s for a few pairs (the top of a ranking, the assignments of an allocation)."""
    failed: list[list[str]] = [[] for _ in component_ids]
    for name, failing in pairs.failures(criteria).items():
        for index in np.nonzero(failing)[0].tolist():
            failed[index].append(name)
    columns = {name: column.tolist() for name, column in pairs.contributions(criteria)}
    result = []
    for index, (component_id, offer_id) in enumerate(zip(component_ids, offer_ids, strict=True)):
        contributions = {name: values[index] for name, values in columns.items()}
        reasons = tuple(failed[index])
        result.append(PairScore(component_id, offer_id, not reasons, reasons, contributions, _total(contributions)))
    return result


def _id_ranks(ids: Sequence[str]) -> IntArray:
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    return ranks


# --------------------------------------------------------------------------------------------------------------
# Ranking

# Below this many candidates, the reference path is faster than building columns.
_VECTORISE_FROM: Final = 128


class OfferPool:
    """Offers turned into columns once, to rank many components against them with `rank_offers`."""

    __slots__ = ("_columns", "_encoder", "_id_rank", "offers")

    def __init__(self, offers: Iterable[Offer]) -> None:
        self.offers: tuple[Offer, ...] = tuple(offers)
        self._encoder = _Encoder()
        self._encoder.add_offers(self.offers)
        self._columns = _offer_columns(self.offers, self._encoder)
        self._id_rank = _id_ranks([offer.id for offer in self.offers])

    def __len__(self) -> int:
        return len(self.offers)


class ComponentPool:
    """Request components turned into columns once, to rank them for many offers with `rank_components`."""

    __slots__ = ("_columns", "_encoder", "_id_rank", "components")

    def __init__(self, components: Iterable[RequestComponent]) -> None:
        self.components: tuple[RequestComponent, ...] = tuple(components)
        self._encoder = _Encoder()
        self._encoder.add_components(self.components)
        self._columns = _component_columns(self.components, self._encoder)
        self._id_rank = _id_ranks([component.id for component in self.components])

    def __len__(self) -> int:
        return len(self.components)


def _top(pairs: _Pairs, criteria: Criteria, id_rank: IntArray, k: int, include_infeasible: bool) -> IntArray:
    """Indices of the k best pairs: score descending, then id (of the ranked side) ascending."""
    scores = pairs.scores(criteria)
    candidates = np.arange(scores.size)
    if not include_infeasible:
        candidates = candidates[~_infeasible(pairs, criteria, scores.size)]
    return _best(scores, candidates, id_rank, k)


def _infeasible(pairs: _Pairs, criteria: Criteria, size: int) -> BoolArray:
    failing = list(pairs.failures(criteria).values())
    return np.logical_or.reduce(failing) if failing else np.zeros(size, dtype=bool)


def _best(scores: FloatArray, candidates: IntArray, id_rank: IntArray, k: int) -> IntArray:
    """The k best of `candidates`: score descending, then id (of the ranked side) ascending."""
    if k == 0:
        return candidates[:0]
    if candidates.size > k:
        # Keep everything tied with the k-th score: the id decides among them.
        cutoff = np.partition(-scores[candidates], k - 1)[k - 1]
        candidates = candidates[-scores[candidates] <= cutoff]
    order = np.lexsort((id_rank[candidates], -scores[candidates]))
    return candidates[order[:k]]


def _reference_top(scored: Iterable[PairScore], k: int, include_infeasible: bool, *, by_offer: bool) -> list[PairScore]:
    kept = [pair for pair in scored if include_infeasible or pair.feasible]
    kept.sort(key=lambda pair: (-pair.score, pair.offer_id if by_offer else pair.component_id))
    return kept[:k]


def rank_offers(
    component: RequestComponent,
    offers: Sequence[Offer] | OfferPool,
    criteria: Criteria,
    *,
    k: int = 10,
    include_infeasible: bool = False,
) -> list[PairScore]:
    """The k best offers for one request component: score descending, then offer id ascending.

    Infeasible offers are left out unless `include_infeasible` (they then rank by their would-be score).
    Pass an `OfferPool` when ranking many components against the same offers.
    """
    if k < 0:
        raise ValueError("k cannot be negative")
    if not isinstance(offers, OfferPool):
        if len(offers) < _VECTORISE_FROM:
            scored = (score_pair(component, offer, criteria) for offer in offers)
            return _reference_top(scored, k, include_infeasible, by_offer=True)
        offers = OfferPool(offers)
    if k == 0 or not offers.offers:
        return []
    pool = offers
    columns = _component_columns([component], pool._encoder)
    chosen = _top(
        _Pairs.one_component(columns, pool._columns, pool._encoder, len(pool)),
        criteria,
        pool._id_rank,
        k,
        include_infeasible,
    )
    top = _Pairs(columns, np.zeros_like(chosen), pool._columns, chosen, pool._encoder)
    return _pair_scores(top, criteria, [component.id] * chosen.size, [pool.offers[j].id for j in chosen.tolist()])


def rank_offers_and_exclusions(
    component: RequestComponent, pool: OfferPool, criteria: Criteria, *, k: int, k_excluded: int
) -> tuple[list[PairScore], list[PairScore]]:
    """`rank_offers(k=k)` and the `k_excluded` best-scoring infeasible offers (each naming the constraint it
    fails), from one scoring pass: the console shows both on every page view."""
    if k < 0 or k_excluded < 0:
        raise ValueError("k cannot be negative")
    if not pool.offers:
        return [], []
    columns = _component_columns([component], pool._encoder)
    pairs = _Pairs.one_component(columns, pool._columns, pool._encoder, len(pool))
    scores = pairs.scores(criteria)
    infeasible = _infeasible(pairs, criteria, scores.size)

    def scored(chosen: IntArray) -> list[PairScore]:
        top = _Pairs(columns, np.zeros_like(chosen), pool._columns, chosen, pool._encoder)
        return _pair_scores(top, criteria, [component.id] * chosen.size, [pool.offers[j].id for j in chosen.tolist()])

    return (
        scored(_best(scores, np.flatnonzero(~infeasible), pool._id_rank, k)),
        scored(_best(scores, np.flatnonzero(infeasible), pool._id_rank, k_excluded)),
    )


def rank_components(
    offer: Offer,
    components: Sequence[RequestComponent] | ComponentPool,
    criteria: Criteria,
    *,
    k: int = 10,
    include_infeasible: bool = False,
) -> list[PairScore]:
    """The k best request components for one offer: score descending, then component id ascending.

    Infeasible components are left out unless `include_infeasible`. Pass a `ComponentPool` when ranking for
    many offers.
    """
    if k < 0:
        raise ValueError("k cannot be negative")
    if not isinstance(components, ComponentPool):
        if len(components) < _VECTORISE_FROM:
            scored = (score_pair(component, offer, criteria) for component in components)
            return _reference_top(scored, k, include_infeasible, by_offer=False)
        components = ComponentPool(components)
    if k == 0 or not components.components:
        return []
    pool = components
    columns = _offer_columns([offer], pool._encoder)
    chosen = _top(
        _Pairs.one_offer(pool._columns, columns, pool._encoder, len(pool)),
        criteria,
        pool._id_rank,
        k,
        include_infeasible,
    )
    top = _Pairs(pool._columns, chosen, columns, np.zeros_like(chosen), pool._encoder)
    return _pair_scores(top, criteria, [pool.components[i].id for i in chosen.tolist()], [offer.id] * chosen.size)


# --------------------------------------------------------------------------------------------------------------
# Allocation

# Pairs evaluated at once while generating candidates: bounds memory, large enough to amortise numpy's calls.
_CHUNK: Final = 1 << 20
# What the grouping in `_candidate_edges` cannot decide, checked pair by pair.
_PAIRWISE: Final = ("shared_language", "no_exclusion", "timeframe_overlap")
_Record = TypeVar("_Record", RequestComponent, Offer)


def _no_edges() -> tuple[IntArray, IntArray, FloatArray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)


def _by_id(records: Iterable[_Record], kind: str) -> tuple[_Record, ...]:
    ordered = tuple(sorted(records, key=lambda record: record.id))
    for first, second in itertools.pairwise(ordered):
        if first.id == second.id:
            raise ValueError(f"duplicate {kind} id: {first.id}")
    return ordered


class _Problem:
    """An allocation instance in canonical order (records sorted by id) with its candidate edges.

    The edges are the feasible pairs with a positive score: (component ci[k], offer oj[k], score[k]).
    """

    __slots__ = ("c", "ci", "components", "criteria", "encoder", "o", "offers", "oj", "score")

    def __init__(self, components: Iterable[RequestComponent], offers: Iterable[Offer], criteria: Criteria) -> None:
        self.components = _by_id(components, "component")
        self.offers = _by_id(offers, "offer")
        self.criteria = criteria
        self.encoder = _Encoder()
        self.encoder.add_components(self.components)
        self.encoder.add_offers(self.offers)
        self.c = _component_columns(self.components, self.encoder)
        self.o = _offer_columns(self.offers, self.encoder)
        self.ci, self.oj, self.score = self._candidate_edges()

    def _candidate_edges(self) -> tuple[IntArray, IntArray, FloatArray]:
        """Every feasible pair with a positive score, found without looking at every pair.

        Components with the same places (country, region, subregion, intermediate region, bureau) and top-level
        area pass the same offers through technical_exchange, capacity, serves_country, the country exclusion and
        area_related:
        each such group is matched against the offer columns once. Only the rest (languages, refusals of
        organisations, dates) and the scores are computed pair by pair, in chunks.
        """
        c, o, criteria = self.c, self.o, self.criteria
        components = np.arange(len(self.components), dtype=np.int64)
        if criteria.enforces("in_scope"):
            components = components[c.in_scope]
        # No capacity, no assignment: that is the allocation's own limit, whether or not it is a constraint.
        usable = o.capacity > 0
        if criteria.enforces("technical_exchange"):
            usable &= o.technical
        offers = np.nonzero(usable)[0]
        if not components.size or not offers.size:
            return _no_edges()
        serves_any, served, excluded, has_parent = (
            o.serves_any[offers],
            o.served[:, offers],
            o.excluded[:, offers],
            o.has_parent[:, offers],
        )
        serves, excludes, related = (
            criteria.enforces(name) for name in ("serves_country", "no_exclusion", "area_related")
        )
        keys = np.stack([c.country, c.region, c.subregion, c.intermediate, c.bureau, c.parent], axis=1)[components]
        groups, inverse = np.unique(keys, axis=0, return_inverse=True)
        order = np.argsort(inverse.ravel(), kind="stable")
        members = np.split(components[order], np.cumsum(np.bincount(inverse.ravel()))[:-1])

        found: list[tuple[IntArray, IntArray, FloatArray]] = []
        batch_c: list[IntArray] = []
        batch_o: list[IntArray] = []
        batch_size = 0
        for (country, region, subregion, intermediate, bureau, parent), group in zip(
            groups.tolist(), members, strict=True
        ):
            candidates = np.ones(offers.size, dtype=np.bool_)
            if serves:
                candidates = serves_any | served[country] | served[region] | served[subregion]
                candidates |= served[intermediate] | served[bureau]
            if excludes:
                candidates &= ~excluded[country]
            if related:
                candidates &= has_parent[parent]
            chosen = offers[candidates]
            if not chosen.size:
                continue
            batch_c.append(np.repeat(group, chosen.size))
            batch_o.append(np.tile(chosen, group.size))
            batch_size += group.size * chosen.size
            if batch_size >= _CHUNK:
                found.append(self._evaluate(np.concatenate(batch_c), np.concatenate(batch_o)))
                batch_c, batch_o, batch_size = [], [], 0
        if batch_size:
            found.append(self._evaluate(np.concatenate(batch_c), np.concatenate(batch_o)))
        if not found:
            return _no_edges()
        ci, oj, score = zip(*found, strict=True)
        return np.concatenate(ci), np.concatenate(oj), np.concatenate(score)

    def _evaluate(self, ci: IntArray, oj: IntArray) -> tuple[IntArray, IntArray, FloatArray]:
        failing = list(_Pairs(self.c, ci, self.o, oj, self.encoder).failures(self.criteria, _PAIRWISE).values())
        if failing:
            feasible = ~np.logical_or.reduce(failing)
            ci, oj = ci[feasible], oj[feasible]
        score = _Pairs(self.c, ci, self.o, oj, self.encoder).scores(self.criteria)
        positive = score > 0
        return ci[positive], oj[positive], score[positive]

    def allocation(self, offer_of: IntArray, method: str) -> Allocation:
        """The `Allocation` giving component i the offer offer_of[i] (or nothing when -1)."""
        assigned = np.nonzero(offer_of >= 0)[0]
        pairs = _Pairs(self.c, assigned, self.o, offer_of[assigned], self.encoder)
        assignments = _pair_scores(
            pairs,
            self.criteria,
            [self.components[i].id for i in assigned.tolist()],
            [self.offers[j].id for j in offer_of[assigned].tolist()],
        )
        uncovered = tuple(self.components[i].id for i in np.nonzero(offer_of < 0)[0].tolist())
        return Allocation(tuple(assignments), math.fsum(pair.score for pair in assignments), uncovered, method)


def _ragged_range(lengths: IntArray) -> IntArray:
    """0..n-1 for each n of `lengths`, concatenated."""
    return np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def _cheapest_matching(
    rows: IntArray, columns: IntArray, costs: FloatArray, n_rows: int, n_columns: int, private_cost: float
) -> IntArray:
    """The column of each row (-1: its private column) in a minimum-cost matching covering every row.

    Edges come sorted by row. Each row also gets a private column at `private_cost`, so a full matching always
    exists and a row is only matched to a real column that costs less than staying alone.
    """
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows) + 1, out=indptr[1:])
    size = int(indptr[-1])
    index_type = np.int32 if size < np.iinfo(np.int32).max else np.int64
    indices = np.empty(size, dtype=index_type)
    data = np.empty(size, dtype=np.float64)
    # Row r's edges shift right by the r private columns placed before them; its own comes last.
    position = np.arange(rows.size) + rows
    indices[position] = columns
    data[position] = costs
    indices[indptr[1:] - 1] = n_columns + np.arange(n_rows)
    data[indptr[1:] - 1] = private_cost
    matrix = csr_matrix((data, indices, indptr.astype(index_type)), shape=(n_rows, n_columns + n_rows))
    _, chosen = min_weight_full_bipartite_matching(matrix)
    return np.where(chosen < n_columns, chosen, -1)


def _optimal_offers(problem: _Problem) -> IntArray:
    """The offer of each component (-1: none) in an allocation of maximum total score.

    The transportation problem becomes an assignment problem: each offer is split into identical slots, as
    many as it can use (its capacity, at most its number of candidates), and a component takes at most one
    slot. Costs are `B - score` with B well above every score, and each row of the matrix may instead take a
    private column costing B, so the cheapest matching covering every row is an allocation of maximum total
    score that takes a pair only if its score is positive.

    `min_weight_full_bipartite_matching` (LAPJVsp, a sparse Jonker-Volgenant solver) solves it exactly. It
    augments one row at a time, so the layout decides its speed (measured in bench/bench_matching_engine.py):
    the rows are the scarcer side, slots when capacity is short, components otherwise; slots go in increasing
    order of their offer's number of candidates, components in decreasing order of their best score. Both
    orders, and the order of the edges, depend on scores and ids only, so ties between equally good
    allocations are settled the same way whatever the order of the inputs.
    """
    ci, oj, score = problem.ci, problem.oj, problem.score
    n_components, n_offers = len(problem.components), len(problem.offers)
    offer_of = np.full(n_components, -1, dtype=np.int64)
    if not ci.size:
        return offer_of
    degree = np.bincount(oj, minlength=n_offers)
    slots = np.clip(problem.o.capacity, 0, degree)
    # Twice the best score: `ceiling - score` stays clear of zero (an explicit zero would be dropped as no edge).
    ceiling = 2.0 * float(score.max()) + 1.0
    cost = ceiling - score
    candidates = np.unique(ci)
    if int(slots.sum()) <= candidates.size:
        # Rows: the slots of each offer, offers with the fewest candidates first. Columns: components.
        offers = np.lexsort((np.arange(n_offers), degree))
        rank = np.empty(n_offers, dtype=np.int64)
        rank[offers] = np.arange(n_offers)
        # Edges grouped by offer in row order, then by component; every slot of an offer gets the offer's block.
        by_offer = np.argsort(rank[oj] * n_components + ci, kind="stable")
        block_start = np.concatenate(([0], np.cumsum(degree[offers])))[:-1]
        slot_offer = np.repeat(offers, slots[offers])
        length = degree[slot_offer]
        edge = by_offer[np.repeat(np.repeat(block_start, slots[offers]), length) + _ragged_range(length)]
        row = np.repeat(np.arange(slot_offer.size), length)
        chosen = _cheapest_matching(row, ci[edge], cost[edge], slot_offer.size, n_components, ceiling)
        taken = chosen >= 0
        offer_of[chosen[taken]] = slot_offer[taken]
        return offer_of
    # Rows: components, strongest first. Columns: the slots of each offer.
    best = np.full(n_components, -np.inf)
    np.maximum.at(best, ci, score)
    candidates = candidates[np.lexsort((candidates, -best[candidates]))]
    row_of = np.empty(n_components, dtype=np.int64)
    row_of[candidates] = np.arange(candidates.size)
    edges = np.argsort(row_of[ci] * n_offers + oj, kind="stable")
    edge = np.repeat(edges, slots[oj[edges]])
    first_slot = np.concatenate(([0], np.cumsum(slots)))[:-1]
    column = first_slot[oj[edge]] + _ragged_range(slots[oj[edges]])
    chosen = _cheapest_matching(row_of[ci[edge]], column, cost[edge], candidates.size, int(slots.sum()), ceiling)
    taken = chosen >= 0
    offer_of[candidates[taken]] = np.repeat(np.arange(n_offers), slots)[chosen[taken]]
    return offer_of


def _greedy_offers(problem: _Problem) -> IntArray:
    """Pairs by score descending (then component id, offer id); a pair is taken when both sides are free."""
    ci, oj, score = problem.ci, problem.oj, problem.score
    offer_of = [-1] * len(problem.components)
    degree = np.bincount(oj, minlength=len(problem.offers))
    left = problem.o.capacity.tolist()
    open_slots = int(np.clip(problem.o.capacity, 0, degree).sum())
    waiting = int(np.unique(ci).size)
    order = np.lexsort((oj, ci, -score))
    for i, j in zip(ci[order].tolist(), oj[order].tolist(), strict=True):
        if offer_of[i] < 0 and left[j] > 0:
            offer_of[i] = j
            left[j] -= 1
            open_slots -= 1
            waiting -= 1
            if not open_slots or not waiting:
                break
    return np.array(offer_of, dtype=np.int64)


def allocate(components: Sequence[RequestComponent], offers: Sequence[Offer], criteria: Criteria) -> Allocation:
    """An allocation of maximum total score (see `_optimal_offers` for the method and the tie rule).

    Each component gets at most one offer, each offer at most `capacity_left` components, and only feasible
    pairs with a positive score are used. The result does not depend on the order of the inputs.
    """
    problem = _Problem(components, offers, criteria)
    return problem.allocation(_optimal_offers(problem), OPTIMAL)


def greedy_allocate(components: Sequence[RequestComponent], offers: Sequence[Offer], criteria: Criteria) -> Allocation:
    """The greedy baseline: feasible positive pairs by score descending (ties: component id, then offer id),
    each taken when its component is still free and its offer has capacity left."""
    problem = _Problem(components, offers, criteria)
    return problem.allocation(_greedy_offers(problem), GREEDY)
