import { describe, expect, test } from "vitest";
import {
  classBreaks,
  classLabel,
  colourClasses,
  colourOf,
  EMPTY_COLOUR,
  figuresByNumeric,
  numericKey,
  PALETTES,
  tableRows,
} from "@/features/portal/mapScale";
import { clientFiltersActive, type MatchRow, passesClientFilters, regionIndex, serverQuery } from "@/features/portal/matchFilters";
import { matchTitle } from "@/features/portal/PublicMatchPage";

const row = (iso3: string, pledging_entities: number, published_matches = 0, unmet_needs = 0, offers = 0) => ({
  country_iso3: iso3,
  pledging_entities,
  published_matches,
  unmet_needs,
  offers,
});

describe("map colour scale", () => {
  test("few values: one class per value; many: equal whole-number ranges ending at the maximum", () => {
    expect(classBreaks(0)).toEqual([]);
    expect(classBreaks(3)).toEqual([
      { min: 1, max: 1 },
      { min: 2, max: 2 },
      { min: 3, max: 3 },
    ]);
    expect(classBreaks(12)).toEqual([
      { min: 1, max: 3 },
      { min: 4, max: 6 },
      { min: 7, max: 9 },
      { min: 10, max: 12 },
    ]);
    expect(classBreaks(101)).toEqual([
      { min: 1, max: 21 },
      { min: 22, max: 42 },
      { min: 43, max: 63 },
      { min: 64, max: 84 },
      { min: 85, max: 101 },
    ]);
  });

  test("classes spread over the palette, darkest for the largest values; zero has the empty colour", () => {
    const palette = PALETTES.pledging_entities;
    const classes = colourClasses([0, 1, 2, 3], palette);
    expect(classes.map((c) => c.colour)).toEqual([palette[0], palette[2], palette[4]]);
    expect(colourOf(0, classes)).toBe(EMPTY_COLOUR);
    expect(colourOf(undefined, classes)).toBe(EMPTY_COLOUR);
    expect(colourOf(3, classes)).toBe(palette[4]);
    // One class only: a middle shade, readable against the empty grey.
    expect(colourClasses([1, 1], palette).map((c) => c.colour)).toEqual([palette[2]]);
    // Every value of a wide range finds its class.
    const wide = colourClasses([5, 50, 101], palette);
    expect(colourOf(42, wide)).toBe(palette[1]);
    expect(colourOf(101, wide)).toBe(palette[4]);
  });

  test("legend labels use the UI language's digits", () => {
    const format = (n: number) => new Intl.NumberFormat("fr").format(n);
    expect(classLabel({ min: 1000, max: 2000 }, format)).toBe(`${format(1000)}–${format(2000)}`);
    expect(classLabel({ min: 3, max: 3 }, format)).toBe("3");
  });

  test("figures reach the topology through the countries' numeric codes", () => {
    expect(numericKey("4")).toBe("004");
    expect(numericKey(562)).toBe("562");
    expect(numericKey(undefined)).toBe("");
    const byNumeric = figuresByNumeric([row("NER", 2), row("AFG", 1), row("XKX", 1)], [
      { iso3: "NER", iso_numeric: "562" },
      { iso3: "AFG", iso_numeric: "4" },
    ]);
    expect([...byNumeric.keys()].sort()).toEqual(["004", "562"]);
    expect(byNumeric.get("562")?.pledging_entities).toBe(2);
  });

  test("the table lists countries with any figure, largest first on the chosen layer, then by name", () => {
    const names: Record<string, string> = { FRA: "France", NER: "Niger", MEX: "Mexique", CAN: "Canada" };
    const rows = tableRows([row("NER", 1, 2), row("FRA", 1), row("MEX", 0), row("CAN", 3, 0, 0, 1)], "published_matches", (c) => names[c] ?? c, "fr");
    expect(rows.map((r) => r.country_iso3)).toEqual(["NER", "CAN", "FRA"]);
  });
});

describe("published matches filters", () => {
  const item = (overrides: Partial<MatchRow>): MatchRow => ({
    id: "m1",
    reference: "MAT-2026-00001",
    status: "planning",
    area_codes: ["procedures.rsd"],
    requesting_countries: ["NER"],
    party_names: ["Direction générale de l'état civil", "Office français de protection des réfugiés"],
    consent_deadline: null,
    next_action_on: null,
    pending_consents: 0,
    updated_at: "2026-11-01T10:00:00Z",
    attention: [],
    ...overrides,
  });
  const regions = regionIndex([
    { iso3: "NER", region_code: "002", subregion_code: "202", intermediate_region_code: "011" },
    { iso3: "MEX", region_code: "019", subregion_code: "419", intermediate_region_code: "013" },
  ]);

  test("stage and country go to the API; region, area and text stay in the browser", () => {
    expect(serverQuery({ stage: "in_progress", country: "ner", region: "002" })).toEqual({ status: ["in_progress"], country: "NER" });
    expect(serverQuery({ stage: "consent_pending" })).toEqual({});
    expect(clientFiltersActive({ stage: "planning" })).toBe(false);
    expect(clientFiltersActive({ area: "procedures" })).toBe(true);
  });

  test("a region matches any level of a requesting State's region; an area matches its sub-areas", () => {
    expect(passesClientFilters(item({}), { region: "011" }, regions)).toBe(true);
    expect(passesClientFilters(item({}), { region: "019" }, regions)).toBe(false);
    expect(passesClientFilters(item({ requesting_countries: null }), { region: "002" }, regions)).toBe(false);
    expect(passesClientFilters(item({}), { area: "procedures" }, regions)).toBe(true);
    expect(passesClientFilters(item({}), { area: "procedures.coi" }, regions)).toBe(false);
    expect(passesClientFilters(item({}), { area: "proc" }, regions)).toBe(false);
  });

  test("the text search ignores case and accents, over the reference and the parties' names", () => {
    expect(passesClientFilters(item({}), { q: "etat civil" }, regions)).toBe(true);
    expect(passesClientFilters(item({}), { q: "mat-2026-00001" }, regions)).toBe(true);
    expect(passesClientFilters(item({}), { q: "COMAR" }, regions)).toBe(false);
  });

  test("a public match is titled by who supports whom", () => {
    const parties = [
      { side: "requesting" as const, name: "DGEC-M/R", country_iso3: "NER" },
      { side: "offering" as const, name: "OFPRA", country_iso3: "FRA" },
      { side: "offering" as const, name: "CNDA", country_iso3: "FRA" },
    ];
    expect(matchTitle({ parties, reference: "MAT-1" }, (o, r) => `${o} → ${r}`)).toBe("OFPRA, CNDA → DGEC-M/R");
    expect(matchTitle({ parties: [], reference: "MAT-1" }, (o, r) => `${o} → ${r}`)).toBe("MAT-1");
  });
});
