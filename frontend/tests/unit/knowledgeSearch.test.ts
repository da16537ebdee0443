import { describe, expect, test } from "vitest";
import { activeFilterCount, apiQuery, filtersFromParams, kindPath, paramsFromFilters, withFilter } from "@/features/knowledge/search";

describe("knowledge search in the address", () => {
  test("a shared link reopens the same search (round trip)", () => {
    const link = "q=entrevistas+a+distancia&kind=good_practice&area=procedures.rsd&region=419&country=bra&contributor_type=state&language=es&year=2020";
    const filters = filtersFromParams(new URLSearchParams(link));
    expect(filters).toEqual({
      q: "entrevistas a distancia",
      kind: "good_practice",
      area: "procedures.rsd",
      region: "419",
      country: "BRA",
      contributor_type: "state",
      language: "es",
      year: 2020,
    });
    const written = paramsFromFilters(filters);
    expect(written.toString()).toBe(link.replace("country=bra", "country=BRA"));
    expect(filtersFromParams(written)).toEqual(filters);
  });

  test("values the API would refuse are dropped, not sent", () => {
    const filters = filtersFromParams(
      new URLSearchParams("q=%20%20&kind=blog&region=19&country=FRANCE&language=de&year=20x1&area=&contributor_type=" + "x".repeat(65)),
    );
    expect(filters).toEqual({});
    expect(filtersFromParams(new URLSearchParams("year=1949")).year).toBeUndefined();
    expect(filtersFromParams(new URLSearchParams("year=2100")).year).toBe(2100);
    expect(filtersFromParams(new URLSearchParams(`q=${"a".repeat(250)}`)).q).toHaveLength(200);
  });

  test("a kind's own view fixes the kind: the address cannot change it, and it is not written", () => {
    const filters = filtersFromParams(new URLSearchParams("kind=news&q=asilo"), "project");
    expect(filters).toEqual({ q: "asilo", kind: "project" });
    expect(paramsFromFilters(filters, "project").toString()).toBe("q=asilo");
    expect(activeFilterCount(filters, "project")).toBe(0);
    expect(activeFilterCount(filters)).toBe(1);
    expect(kindPath("project")).toBe("/projects");
    expect(kindPath("event")).toBe("/events");
  });

  test("setting and clearing one filter", () => {
    let filters = withFilter({ q: "kiosk" }, "year", "2022");
    expect(filters).toEqual({ q: "kiosk", year: 2022 });
    filters = withFilter(filters, "country", " ZMB ");
    expect(filters.country).toBe("ZMB");
    filters = withFilter(filters, "year", null);
    filters = withFilter(filters, "q", "  ");
    expect(filters).toEqual({ country: "ZMB" });
  });

  test("the API query: filters as parameters, facets on the first page only", () => {
    const filters = { q: "kiosk", kind: "good_practice" as const, year: 2022 };
    expect(apiQuery(filters, { facets: true, limit: 20 })).toEqual({ q: "kiosk", kind: "good_practice", year: 2022, facets: true, limit: 20 });
    expect(apiQuery(filters, { facets: false, limit: 20, cursor: "abc" })).toEqual({ q: "kiosk", kind: "good_practice", year: 2022, limit: 20, cursor: "abc" });
    expect(apiQuery({})).toEqual({});
  });
});
