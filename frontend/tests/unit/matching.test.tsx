import { describe, expect, test } from "vitest";
import { barSegments, orderedContributions, sharedScale } from "@/components/matching/criteria";
import {
  buildProposal,
  type CoverageCell,
  coverageMatrix,
  filterGaps,
  type Gap,
  heatLevel,
  heatStyle,
  justificationReasons,
  type ProposalPair,
  selectionReasons,
  togglePair,
  waitingContribution,
  waitUnit,
} from "@/features/matching/logic";

const WEIGHTS = { area_exact: 40, area_parent: 15, modality: 10, support_type: 5, language: 5 };
const TOP = { area_exact: 40, area_parent: 0, modality: 10, support_type: 5, language: 5, urgency: 3.3, duplication: 0 };

describe("when a proposal needs a justification", () => {
  test("the top suggestion that breaks no soft rule needs none", () => {
    expect(justificationReasons({ rank: 1, contributions: TOP }, WEIGHTS)).toEqual([]);
  });

  test("any other rank needs one, and so does an unknown rank (not among the suggestions)", () => {
    expect(justificationReasons({ rank: 2, contributions: TOP }, WEIGHTS)).toEqual(["not_top"]);
    expect(justificationReasons({ rank: null, contributions: TOP }, WEIGHTS)).toEqual(["not_top"]);
  });

  test("a rank that is not comparable (offer mode, allocation) is left to the server", () => {
    expect(justificationReasons({ rank: 3, contributions: TOP }, WEIGHTS, { rankKnown: false })).toEqual([]);
  });

  test("each soft rule, as the server checks it", () => {
    expect(justificationReasons({ rank: 1, contributions: { ...TOP, duplication: -15 } }, WEIGHTS)).toEqual(["duplication"]);
    expect(justificationReasons({ rank: 1, contributions: { ...TOP, area_exact: 0, area_parent: 15 } }, WEIGHTS)).toEqual(["area_parent"]);
    expect(justificationReasons({ rank: 1, contributions: { ...TOP, modality: 5 } }, WEIGHTS)).toEqual(["modality"]);
    expect(justificationReasons({ rank: 1, contributions: { ...TOP, language: 0 } }, WEIGHTS)).toEqual(["language"]);
  });

  test("a criterion weighted 0 is no rule", () => {
    expect(justificationReasons({ rank: 1, contributions: { ...TOP, modality: 0, language: 0 } }, { ...WEIGHTS, modality: 0, language: 0 })).toEqual([]);
  });

  test("a selection needs one when any of its pairs does, reasons once each in a stable order", () => {
    const pairs: ProposalPair[] = [
      { componentId: "c1", offerId: "o1", rank: 2, contributions: { ...TOP, language: 0 }, componentLabel: "", offerLabel: "" },
      { componentId: "c2", offerId: "o1", rank: 3, contributions: { ...TOP, duplication: -15 }, componentLabel: "", offerLabel: "" },
    ];
    expect(selectionReasons(pairs, WEIGHTS)).toEqual(["not_top", "duplication", "language"]);
  });
});

describe("the proposal payload", () => {
  const pair = (componentId: string, offerId: string): ProposalPair => ({ componentId, offerId, componentLabel: componentId, offerLabel: offerId });

  test("n-ary: every pair once, in the order chosen", () => {
    const body = buildProposal([pair("c1", "o1"), pair("c2", "o1"), pair("c1", "o2"), pair("c1", "o1")], {});
    expect(body.items).toEqual([
      { request_component_id: "c1", offer_id: "o1" },
      { request_component_id: "c2", offer_id: "o1" },
      { request_component_id: "c1", offer_id: "o2" },
    ]);
  });

  test("a blank justification is left out (the server's check speaks); text is trimmed; the run is cited", () => {
    expect(buildProposal([pair("c1", "o1")], { justification: "   ", publicSummary: " Summary " })).toEqual({
      items: [{ request_component_id: "c1", offer_id: "o1" }],
      public_summary: "Summary",
    });
    expect(buildProposal([pair("c1", "o1")], { justification: " Better languages ", allocationRunId: "run-1" })).toEqual({
      items: [{ request_component_id: "c1", offer_id: "o1" }],
      public_summary: "",
      justification: "Better languages",
      allocation_run_id: "run-1",
    });
  });

  test("toggling a pair selects it, then takes it out", () => {
    const once = togglePair([], pair("c1", "o1"));
    expect(once).toHaveLength(1);
    expect(togglePair(once, pair("c1", "o1"))).toEqual([]);
    expect(togglePair(once, pair("c1", "o2"))).toHaveLength(2);
  });
});

describe("score bars", () => {
  test("positive contributions stack in engine order on the shared scale; zeros are left out", () => {
    const { positive, negative } = barSegments({ modality: 10, area_exact: 40, language: 0 }, 100);
    expect(positive.map((s) => [s.name, s.start, s.width])).toEqual([
      ["area_exact", 0, 40],
      ["modality", 40, 10],
    ]);
    expect(negative).toEqual([]);
  });

  test("a penalty is drawn over the end of the positive part, so the solid part ends at the net score", () => {
    const { positive, negative } = barSegments({ area_exact: 40, modality: 10, duplication: -15 }, 50);
    expect(positive.at(-1)).toMatchObject({ start: 80, width: 20 });
    expect(negative).toEqual([{ name: "duplication", value: -15, start: 70, width: 30 }]);
  });

  test("the scale is the largest positive total (at least 1); unknown contributions sort last", () => {
    expect(sharedScale([{ a: 3, duplication: -10 }, { area_exact: 40, modality: 5 }])).toBe(45);
    expect(sharedScale([])).toBe(1);
    expect(orderedContributions({ zeta: 1, duplication: -1, area_exact: 2 }).map(([n]) => n)).toEqual(["area_exact", "duplication", "zeta"]);
  });
});

describe("coverage heatmap", () => {
  const cell = (country: string, area: string, matches: number, existing: number, overlap = matches + existing > 1): CoverageCell => ({
    country_iso3: country,
    area_code: area,
    matches,
    existing_support: existing,
    sources: [],
    overlap,
  });

  test("levels: 0 for nothing, the largest cell darkest, any non-zero cell at least 1", () => {
    expect(heatLevel(0, 10)).toBe(0);
    expect(heatLevel(10, 10)).toBe(5);
    expect(heatLevel(1, 10)).toBe(1);
    expect(heatLevel(5, 10)).toBe(3);
    expect(heatLevel(1, 1000)).toBe(1);
    expect(heatLevel(3, 0)).toBe(0);
  });

  test("dark shades get white text, light ones dark text", () => {
    expect(heatStyle(5).color).toBe("white");
    expect(heatStyle(1).color).not.toBe("white");
    expect(heatStyle(0).background).toBe("transparent");
  });

  test("the matrix: countries and areas present, in the orders given, narrowed by area or overlaps", () => {
    const cells = [cell("NER", "procedures.registration", 1, 1), cell("MEX", "procedures.rsd", 1, 0), cell("MEX", "legal.legislation", 0, 3)];
    const all = coverageMatrix(cells);
    expect(all.countries).toEqual(["MEX", "NER"]);
    expect(all.areas).toEqual(["legal.legislation", "procedures.registration", "procedures.rsd"]);
    expect(all.max).toBe(3);
    const procedures = coverageMatrix(cells, { area: "procedures", countryOrder: (a, b) => b.localeCompare(a) });
    expect(procedures.countries).toEqual(["NER", "MEX"]);
    expect(procedures.areas).toEqual(["procedures.registration", "procedures.rsd"]);
    expect(coverageMatrix(cells, { overlapsOnly: true }).countries).toEqual(["MEX", "NER"]);
    expect(coverageMatrix(cells, { overlapsOnly: true }).areas).toEqual(["legal.legislation", "procedures.registration"]);
  });
});

describe("gaps", () => {
  const gap = (country: string, area: string, region: string | null, bureau: string | null, reason: string): Gap => ({
    component: { id: `${country}-${area}`, request_id: "r", reference: "REQ", title: "", country_iso3: country, area_code: area, description: "" },
    region_code: region,
    bureau_code: bureau,
    waited_days: 10,
    reason,
  });
  const items = [
    gap("NER", "procedures.rsd", "002", "wca", "no_feasible_offer"),
    gap("MEX", "procedures.coi", "019", "americas", "not_matched_yet"),
    gap("TCD", "legal.legislation", "002", "wca", "not_matched_yet"),
  ];

  test("every filter narrows; an area keeps its sub-areas", () => {
    expect(filterGaps(items, {})).toHaveLength(3);
    expect(filterGaps(items, { area: "procedures" }).map((g) => g.component.country_iso3)).toEqual(["NER", "MEX"]);
    expect(filterGaps(items, { region: "002", reason: "not_matched_yet" }).map((g) => g.component.country_iso3)).toEqual(["TCD"]);
    expect(filterGaps(items, { bureau: "americas", country: "NER" })).toEqual([]);
  });

  test("waiting times in the largest unit that fits, and the waiting curve", () => {
    expect(waitUnit(12)).toEqual({ unit: "days", count: 12 });
    expect(waitUnit(90)).toEqual({ unit: "months", count: 3 });
    expect(waitUnit(800)).toEqual({ unit: "years", count: 2 });
    expect(waitingContribution(0, 10, 365)).toBe(0);
    expect(waitingContribution(730, 10, 365)).toBe(10);
    expect(waitingContribution(73, 10, 365)).toBeCloseTo(2);
  });
});
