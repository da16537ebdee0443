import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import { ConsolePage } from "@/features/matching/ConsolePage";
import { json, mockApi, REFERENCE } from "./mockApi";

afterEach(() => vi.restoreAllMocks());

// jsdom has no FontFaceSet; Mantine's autosizing textarea listens to it.
if (!("fonts" in document)) {
  Object.defineProperty(document, "fonts", { configurable: true, value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
}

const offer = (n: number) => ({
  id: `o${n}`,
  reference: `OFF-2026-0000${n}`,
  title: `Offer number ${n}`,
  organisation_name: `Organisation ${n}`,
  contributor_type: "academia",
  country_iso3: null,
});
const component = { id: "c1", request_id: "r1", reference: "REQ-2026-00001", title: "Registration in Niger", country_iso3: "NER", area_code: "procedures.registration", description: "Biometric registration" };
const SUGGESTIONS = {
  request_id: "r1",
  criteria_version: 3,
  components: [
    {
      component,
      candidates: [
        { rank: 1, score: 65, contributions: { area_exact: 40, modality: 10, support_type: 5, language: 5, regional: 5 }, offer: offer(1) },
        { rank: 2, score: 55, contributions: { area_exact: 40, modality: 0, support_type: 5, language: 5, regional: 5 }, offer: offer(2) },
      ],
      excluded: [{ failed: ["shared_language"], would_be_score: 60, offer: offer(3) }],
    },
  ],
  overall: [
    { offer: offer(1), total_score: 65, components_served: 1 },
    { offer: offer(2), total_score: 55, components_served: 1 },
  ],
};
const CRITERIA = {
  version: 3,
  hard: {},
  weights: { area_exact: 40, area_parent: 15, modality: 10, support_type: 5, language: 5 },
  cross_regional_bonus: 5,
  duplication_penalty: 15,
  waiting_full_days: 365,
  note: "",
  created_at: "2026-11-01T10:00:00Z",
  is_active: true,
};

function renderConsole() {
  const router = createMemoryRouter(
    [
      { path: "/matching", element: <ConsolePage /> },
      { path: "/matches/:id", element: <p>match page</p> },
    ],
    { initialEntries: ["/matching?request=r1"] },
  );
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={makeQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return router;
}

describe("the matching console", { timeout: 20_000 }, () => {
  test("shows ranked offers with their explanations and the excluded ones with the failed constraint", async () => {
    mockApi({
      ...REFERENCE,
      "GET /api/v1/matching/requests/r1/suggestions": () => json(SUGGESTIONS),
      "GET /api/v1/support-requests/r1": () => json({ id: "r1", reference: "REQ-2026-00001", title: "Registration in Niger", status: "validated", country_iso3: "NER", organisation: { name: "DGEC" } }),
      "GET /api/v1/support-requests": () => json({ items: [], next_cursor: null, total: 0 }),
    });
    renderConsole();
    const rows = await screen.findAllByTestId("candidate-row");
    expect(rows.map((r) => r.getAttribute("data-rank"))).toEqual(["1", "2"]);
    expect(within(rows[1]!).getByText("Offer number 2")).toBeTruthy();
    // The named contributions, in words and as the bar's text alternative.
    expect(within(rows[0]!).getByTestId("contribution-words").textContent).toContain("Same area 40");
    expect(within(rows[0]!).getByRole("img").getAttribute("aria-label")).toContain("Score 65: Same area 40 · Modality fit 10");
    const excluded = screen.getByTestId("excluded-table");
    expect(within(excluded).getByText("No shared language")).toBeTruthy();
    expect(within(excluded).getByText("Offer number 3")).toBeTruthy();
  });

  test("proposing the second-ranked offer shows the server's justification error, then sends the justification", async () => {
    const user = userEvent.setup({ delay: null });
    const bodies: unknown[] = [];
    mockApi({
      ...REFERENCE,
      "GET /api/v1/matching/requests/r1/suggestions": () => json(SUGGESTIONS),
      "GET /api/v1/matching/criteria": () => json(CRITERIA),
      "GET /api/v1/support-requests/r1": () => json({ id: "r1", reference: "REQ-2026-00001", title: "Registration in Niger", status: "validated", country_iso3: "NER", organisation: { name: "DGEC" } }),
      "GET /api/v1/support-requests": () => json({ items: [], next_cursor: null, total: 0 }),
      "POST /api/v1/matches": async (request) => {
        const body = (await request.json()) as { justification?: string };
        bodies.push(body);
        if (!body.justification) {
          return json(
            {
              error: "ValidationError",
              detail: "Invalid request",
              fields: [{ field: "body.justification", message: "Justify this proposal: the offer is not the top suggestion for this component (rank 2)" }],
            },
            422,
          );
        }
        return json({ id: "m1", reference: "MAT-2026-00001" }, 201);
      },
    });
    const router = renderConsole();
    await user.click(await screen.findByRole("button", { name: "Propose a match with Offer number 2" }));
    const dialog = await screen.findByRole("dialog");
    // The hint says why, before sending: not the top suggestion, and a wanted modality is missing.
    expect(await within(dialog).findByText("A written justification is needed")).toBeTruthy();
    expect(within(dialog).getAllByText(/the offer is not the top suggestion for the component/).length).toBeGreaterThan(0);
    await user.click(within(dialog).getByRole("button", { name: "Create the proposal" }));
    expect(await within(dialog).findByText(/Justify this proposal: the offer is not the top suggestion/)).toBeTruthy();
    expect(bodies[0]).toEqual({ items: [{ request_component_id: "c1", offer_id: "o2" }], public_summary: "" });

    await user.type(within(dialog).getByRole("textbox", { name: "Justification" }), "The top offer cannot start before 2028.");
    await user.click(within(dialog).getByRole("button", { name: "Create the proposal" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/matches/m1"));
    expect(bodies[1]).toEqual({
      items: [{ request_component_id: "c1", offer_id: "o2" }],
      public_summary: "",
      justification: "The top offer cannot start before 2028.",
    });
  });

  test("several candidates can be selected and proposed together (n-ary)", async () => {
    const user = userEvent.setup({ delay: null });
    const bodies: unknown[] = [];
    mockApi({
      ...REFERENCE,
      "GET /api/v1/matching/requests/r1/suggestions": () => json(SUGGESTIONS),
      "GET /api/v1/matching/criteria": () => json(CRITERIA),
      "GET /api/v1/support-requests/r1": () => json({ id: "r1", reference: "REQ-2026-00001", title: "Registration in Niger", status: "validated", country_iso3: "NER", organisation: { name: "DGEC" } }),
      "GET /api/v1/support-requests": () => json({ items: [], next_cursor: null, total: 0 }),
      "POST /api/v1/matches": async (request) => {
        bodies.push(await request.json());
        return json({ id: "m2", reference: "MAT-2026-00002" }, 201);
      },
    });
    renderConsole();
    await user.click(await screen.findByRole("checkbox", { name: /Select Offer number 1 for/ }));
    await user.click(screen.getByRole("checkbox", { name: /Select Offer number 2 for/ }));
    expect(screen.getByText("Pairs selected: 2")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Propose them together" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: "Justification" }), "Two offers share the work.");
    await user.click(within(dialog).getByRole("button", { name: "Create the proposal" }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toMatchObject({
      items: [
        { request_component_id: "c1", offer_id: "o1" },
        { request_component_id: "c1", offer_id: "o2" },
      ],
    });
  });
});
