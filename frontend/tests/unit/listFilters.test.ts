import { afterEach, describe, expect, test, vi } from "vitest";
import { offerQuery } from "@/features/offers/filters";
import { pledgeQuery } from "@/features/pledges/filters";
import { REQUEST_FILTERS, requestQuery } from "@/features/requests/filters";
import { api } from "@/lib/api";
import { countActive, readFilters, toApiQuery, withFilter, writeFilters } from "@/lib/listFilters";

afterEach(() => vi.restoreAllMocks());

describe("list filters", () => {
  test("read from the URL: known keys only, empty values dropped, statuses as a list", () => {
    const params = new URLSearchParams("status=submitted&status=under_review&country=NER&area=&q=%20asile%20&bogus=1&is_establishing_system=maybe");
    expect(readFilters(params, REQUEST_FILTERS)).toEqual({ status: ["submitted", "under_review"], country: "NER", q: "asile" });
  });

  test("written back to the URL in a stable order, and read again unchanged", () => {
    const values = { urgency: "high", status: ["validated", "matched"], q: "registro", is_establishing_system: "true" };
    const params = writeFilters(values, REQUEST_FILTERS);
    expect(params.toString()).toBe("q=registro&status=validated&status=matched&urgency=high&is_establishing_system=true");
    expect(readFilters(params, REQUEST_FILTERS)).toEqual(values);
  });

  test("setting a filter to nothing removes it", () => {
    const values = withFilter({ country: "NER", area: "procedures" }, "country", null);
    expect(values).toEqual({ area: "procedures" });
    expect(withFilter(values, "status", [])).toEqual({ area: "procedures" });
    expect(countActive({ ...values, q: "x", sort: "title", status: ["draft"] })).toBe(2);
  });

  test("become the API query: lists stay lists, booleans become booleans", () => {
    expect(requestQuery({ status: ["submitted"], is_establishing_system: "false", area: "procedures", sort: "title" })).toEqual({
      status: ["submitted"],
      is_establishing_system: false,
      area: "procedures",
      sort: "title",
    });
    expect(offerQuery({ serves_country: "MEX", urgency: "high" })).toEqual({ serves_country: "MEX" });
    expect(pledgeQuery({ stage: "planning", source_event: "GRF2019", status: ["draft"] })).toEqual({ stage: "planning", source_event: "GRF2019" });
    expect(toApiQuery({}, REQUEST_FILTERS)).toEqual({});
  });

  test("reach the server as repeated parameters", async () => {
    const fetchMock = vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(JSON.stringify({ items: [], next_cursor: null, total: 0 }), { status: 200, headers: { "content-type": "application/json" } }),
    );
    const query = requestQuery({ status: ["submitted", "under_review"], country: "NER", is_establishing_system: "true", q: "état civil" });
    await api.GET("/api/v1/support-requests", { params: { query: { ...query, limit: 25 } } });
    const url = new URL((fetchMock.mock.calls[0]?.[0] as Request).url);
    expect(url.pathname).toBe("/api/v1/support-requests");
    expect(url.searchParams.getAll("status")).toEqual(["submitted", "under_review"]);
    expect(url.searchParams.get("country")).toBe("NER");
    expect(url.searchParams.get("is_establishing_system")).toBe("true");
    expect(url.searchParams.get("q")).toBe("état civil");
    expect(url.searchParams.get("limit")).toBe("25");
  });
});
