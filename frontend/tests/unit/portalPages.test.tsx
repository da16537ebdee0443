import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import { MapSection } from "@/features/portal/MapSection";
import { PublicMatchPage } from "@/features/portal/PublicMatchPage";
import i18n from "@/i18n";
import { json, mockApi, REFERENCE } from "./mockApi";

afterEach(async () => {
  vi.restoreAllMocks();
  await i18n.changeLanguage("en");
});

const COUNTRIES = [
  { iso3: "NER", iso2: "NE", iso_numeric: "562", unhcr_code: "NIG", name_en: "Niger", name_fr: "Niger", name_es: "Níger", region_code: "002", subregion_code: "202", intermediate_region_code: "011", bureau_code: "wca", is_un_member: true },
  { iso3: "FRA", iso2: "FR", iso_numeric: "250", unhcr_code: "FRA", name_en: "France", name_fr: "France", name_es: "Francia", region_code: "150", subregion_code: "155", intermediate_region_code: null, bureau_code: "europe", is_un_member: true },
];

function renderAt(path: string, routes: { path: string; element: React.ReactNode }[]) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  return render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={makeQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const PUBLIC_MATCH = {
  view: "public",
  id: "m1",
  reference: "MAT-2026-00002",
  public_summary: "Peer support on first-instance decisions.",
  stage: "in_progress",
  parties: [
    { side: "requesting", name: "DGEC-M/R", country_iso3: "NER" },
    { side: "offering", name: "OFPRA", country_iso3: "FRA" },
  ],
  area_codes: ["procedures.coi"],
  starts_on: "2026-04-01",
  ends_on: null,
  report_excerpts: [
    { period_start: "2026-04-01", period_end: "2026-10-01", excerpt: "Twelve officers mentored.", published_at: "2026-11-02T10:00:00Z" },
  ],
};

describe("public match page", () => {
  test("shows who supports whom, the summary, areas, stage and the published excerpts; read without cookies", async () => {
    const calls = mockApi({
      ...REFERENCE,
      "GET /api/v1/reference/countries": () => json(COUNTRIES),
      "GET /api/v1/auth/me": () => json({ error: "Unauthorized", detail: "" }, 401),
      "GET /api/v1/matches/m1": () => json(PUBLIC_MATCH),
    });
    renderAt("/portal/matches/m1", [{ path: "/portal/matches/:id", element: <PublicMatchPage /> }]);
    expect(await screen.findByRole("heading", { level: 1, name: "OFPRA supporting DGEC-M/R" })).toBeTruthy();
    expect(screen.getByText("Peer support on first-instance decisions.")).toBeTruthy();
    expect(screen.getByText("Twelve officers mentored.")).toBeTruthy();
    expect(screen.getAllByText("In progress").length).toBeGreaterThan(0);
    await screen.findByText(/Country of origin information/);
    expect((screen.getByLabelText("Link to this page") as HTMLInputElement).value).toBe(`${window.location.origin}/portal/matches/m1`);
    const matchCall = calls.find((c) => c.url.endsWith("/api/v1/matches/m1"));
    expect(matchCall?.credentials).toBe("omit");
  });

  test("copies the share link, or selects it when the browser refuses", async () => {
    mockApi({ ...REFERENCE, "GET /api/v1/auth/me": () => json({}, 401), "GET /api/v1/matches/m1": () => json(PUBLIC_MATCH) });
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    renderAt("/portal/matches/m1", [{ path: "/portal/matches/:id", element: <PublicMatchPage /> }]);
    await userEvent.click(await screen.findByRole("button", { name: "Copy link" }));
    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/portal/matches/m1`);
    expect(await screen.findByText("The link is in your clipboard.")).toBeTruthy();

    writeText.mockRejectedValue(new Error("denied"));
    await userEvent.click(screen.getByRole("button", { name: "Copied" }));
    expect(await screen.findByText(/Your browser did not allow copying/)).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText("Link to this page"));
  });

  test("an unpublished or unknown match says so", async () => {
    mockApi({ ...REFERENCE, "GET /api/v1/auth/me": () => json({}, 401), "GET /api/v1/matches/m9": () => json({ error: "NotFound", detail: "No such match" }, 404) });
    renderAt("/portal/matches/m9", [{ path: "/portal/matches/:id", element: <PublicMatchPage /> }]);
    expect(await screen.findByRole("heading", { level: 1, name: "Match not found" })).toBeTruthy();
  });
});

describe("home page map", () => {
  test("colours countries by the chosen layer, with a legend, a focus tooltip, a table and the UN disclaimer", async () => {
    mockApi({
      ...REFERENCE,
      "GET /api/v1/reference/countries": () => json(COUNTRIES),
      "GET /api/v1/public/map": () =>
        json([
          { country_iso3: "FRA", pledging_entities: 2, published_matches: 0, unmet_needs: 0, offers: 3 },
          { country_iso3: "NER", pledging_entities: 1, published_matches: 1, unmet_needs: 4, offers: 0 },
        ]),
    });
    renderAt("/", [{ path: "/", element: <MapSection /> }]);
    const map = await screen.findByTestId("world-map", {}, { timeout: 5000 });
    expect(map.querySelectorAll("path").length).toBeGreaterThan(150);
    const france = map.querySelector("path[data-country='250']") as SVGPathElement;
    const niger = map.querySelector("path[data-country='562']") as SVGPathElement;
    expect(france.getAttribute("aria-label")).toBe("France – pledging entities: 2");
    expect(france.getAttribute("tabindex")).toBe("0");
    // Countries without figures are not tab stops.
    expect(map.querySelector("path[data-country='124']")?.getAttribute("tabindex")).toBeNull();
    expect(france.getAttribute("fill")).not.toBe(niger.getAttribute("fill"));
    expect(within(screen.getByTestId("map-legend")).getByText("1")).toBeTruthy();

    fireEvent.focus(niger);
    expect(screen.getByTestId("map-tooltip").textContent).toBe("Niger – pledging entities: 1");
    fireEvent.blur(niger);
    expect(screen.queryByTestId("map-tooltip")).toBeNull();

    await userEvent.click(screen.getByRole("radio", { name: "Unmet needs" }));
    await waitFor(() => expect(niger.getAttribute("aria-label")).toBe("Niger – unmet needs: 4"));
    expect(france.getAttribute("tabindex")).toBeNull();
    expect(within(screen.getByTestId("map-legend")).getByText("Unmet needs")).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Show the figures as a table" }));
    const rows = await waitFor(() => within(screen.getByTestId("map-table")).getAllByRole("row"));
    // Sorted by the chosen layer: Niger (4 unmet needs) before France (0).
    expect(rows[1]?.textContent).toContain("Niger");
    expect(rows[2]?.textContent).toContain("France");
    expect(screen.getByTestId("map-disclaimer").textContent).toContain("do not imply official endorsement or acceptance by the United Nations");
  });

  test("the disclaimer is in the UI language", async () => {
    await i18n.changeLanguage("es");
    mockApi({ ...REFERENCE, "GET /api/v1/reference/countries": () => json(COUNTRIES), "GET /api/v1/public/map": () => json([]) });
    renderAt("/", [{ path: "/", element: <MapSection /> }]);
    expect((await screen.findByTestId("map-disclaimer")).textContent).toContain("no implican su apoyo o aceptación oficial por parte de las Naciones Unidas");
  });
});
