import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import { ReportPage } from "@/features/reports/ReportPage";
import { TrafficLight } from "@/features/reports/TrafficLight";
import { json, mockApi, NIGER_FOCAL_POINT, REFERENCE } from "./mockApi";

afterEach(() => vi.restoreAllMocks());

// Mantine's autosizing textarea listens to font loading, which jsdom does not have.
if (!("fonts" in document)) {
  Object.defineProperty(document, "fonts", { value: { addEventListener: () => undefined, removeEventListener: () => undefined }, configurable: true });
}

/** Focus a field and paste the text: one input event instead of one per character (keeps the test fast on CI). */
async function fill(user: ReturnType<typeof userEvent.setup>, field: HTMLElement, text: string): Promise<void> {
  await user.click(field);
  await user.paste(text);
}

function report(overrides: Record<string, unknown> = {}) {
  return {
    id: "r1",
    schedule_id: "s1",
    match_id: "m1",
    pledge_id: null,
    period_start: "2027-01-10",
    period_end: "2027-07-10",
    due_on: "2027-07-10",
    status: "due",
    stage: null,
    narrative: "",
    challenges: "",
    good_practices: "",
    next_steps: "",
    impact: {},
    indicators: [],
    links: [],
    submitted_at: null,
    attestation: null,
    attestation_comment: null,
    attested_at: null,
    review_comment: null,
    reviewed_at: null,
    published_excerpt: null,
    published_at: null,
    version: 1,
    allowed_actions: ["submit"],
    can_edit: true,
    ...overrides,
  };
}

const tagged = (body: ReturnType<typeof report>) => json(body, 200, { ETag: `"${body.id}:${body.version}"` });

const COMMON = {
  ...REFERENCE,
  "GET /api/v1/auth/me": () => json(NIGER_FOCAL_POINT),
  "GET /api/v1/matches/m1": () => json({ view: "party", id: "m1", reference: "MAT-2027-00001" }),
  "GET /api/v1/reports/r1/revisions": () => json([]),
};

function renderReport() {
  const router = createMemoryRouter([{ path: "/reports/:id", element: <ReportPage /> }], { initialEntries: ["/reports/r1"] });
  return render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={makeQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

describe("drafting a report", () => {
  test("the offering party writes, saves with If-Match, then submits the saved version", async () => {
    const sent: { method: string; ifMatch: string | null; body: unknown; path: string }[] = [];
    let current = report();
    mockApi({
      ...COMMON,
      "GET /api/v1/reports/r1": () => tagged(current),
      "PATCH /api/v1/reports/r1": async (request) => {
        const body = (await request.json()) as Record<string, unknown>;
        sent.push({ method: "PATCH", ifMatch: request.headers.get("If-Match"), body, path: "" });
        current = report({ ...body, version: 2 });
        return tagged(current);
      },
      "POST /api/v1/reports/r1/actions/(\\w+)": async (request, match) => {
        sent.push({ method: "POST", ifMatch: request.headers.get("If-Match"), body: await request.json(), path: match[1] ?? "" });
        current = report({ ...current, status: "submitted", version: 3, can_edit: false, allowed_actions: [], submitted_at: "2027-07-01T10:00:00Z" });
        return tagged(current);
      },
    });
    const user = userEvent.setup();
    renderReport();
    await screen.findByRole("heading", { level: 1, name: /Progress report/ });
    // The subject is linked under the title and again at the foot of the page.
    expect((await screen.findAllByRole("link", { name: "Report on match MAT-2027-00001" })).length).toBe(2);

    await fill(user, screen.getByRole("textbox", { name: /Progress made/ }), "Two trainings held");
    await user.click(screen.getByRole("button", { name: "Add an indicator" }));
    await fill(user, screen.getByRole("textbox", { name: "Indicator 1: name" }), "Officers trained");
    await fill(user, screen.getByRole("textbox", { name: "Indicator 1: baseline" }), "0");
    await fill(user, screen.getByRole("textbox", { name: "Indicator 1: target" }), "40");
    await fill(user, screen.getByRole("textbox", { name: "Indicator 1: actual" }), "32");
    expect(within(screen.getByTestId("indicator-row")).getByText("80%")).toBeTruthy();
    expect(screen.getByText("You have unsaved changes.")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Save the draft" }));
    await screen.findByText("All changes saved.");
    expect(sent[0]).toMatchObject({
      method: "PATCH",
      ifMatch: '"r1:1"',
      body: { narrative: "Two trainings held", indicators: [{ name: "Officers trained", unit: "", baseline: 0, target: 40, actual: 32 }] },
    });

    await user.click(screen.getByRole("button", { name: "Submit the report" }));
    await waitFor(() => expect(screen.getByTestId("report-status").textContent).toBe("Submitted"));
    // Submitted with the version the save returned.
    expect(sent[1]).toMatchObject({ method: "POST", path: "submit", ifMatch: '"r1:2"' });
  });

  test("a row the server cannot take is flagged before sending", async () => {
    const patch = vi.fn(() => tagged(report()));
    mockApi({ ...COMMON, "GET /api/v1/reports/r1": () => tagged(report()), "PATCH /api/v1/reports/r1": patch });
    const user = userEvent.setup();
    renderReport();
    await user.click(await screen.findByRole("button", { name: "Add an indicator" }));
    await user.type(screen.getByRole("textbox", { name: "Indicator 1: unit" }), "days");
    await user.click(screen.getByRole("button", { name: "Save the draft" }));
    expect(await screen.findByText("The report cannot be saved as it is")).toBeTruthy();
    expect(within(screen.getByTestId("indicator-row")).getByText("Required")).toBeTruthy();
    expect(patch).not.toHaveBeenCalled();
  });

  test("a save refused because someone else saved first offers to reload", async () => {
    mockApi({
      ...COMMON,
      "GET /api/v1/reports/r1": () => tagged(report()),
      "PATCH /api/v1/reports/r1": () => json({ error: "PreconditionFailed", detail: "The record changed" }, 412),
    });
    const user = userEvent.setup();
    renderReport();
    await user.type(await screen.findByRole("textbox", { name: /Progress made/ }), "x");
    await user.click(screen.getByRole("button", { name: "Save the draft" }));
    expect(await screen.findByText("Someone else saved this report")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Reload the report" })).toBeTruthy();
  });

  test("a sent-back report shows the reviewer's comment above the form", async () => {
    mockApi({
      ...COMMON,
      "GET /api/v1/reports/r1": () =>
        tagged(report({ status: "sent_back", narrative: "First draft", review_comment: "Add the number of decisions reviewed.", reviewed_at: "2027-07-02T09:00:00Z", submitted_at: "2027-07-01T09:00:00Z" })),
      "GET /api/v1/reports/r1/revisions": () =>
        json([{ number: 1, content: { narrative: "First draft", impact: {}, indicators: [], links: [] }, submitted_at: "2027-07-01T09:00:00Z", review_comment: "Add the number of decisions reviewed." }]),
    });
    renderReport();
    expect((await screen.findByTestId("sent-back-note")).textContent).toContain("Add the number of decisions reviewed.");
    expect((screen.getByRole("textbox", { name: /Progress made/ }) as HTMLTextAreaElement).value).toBe("First draft");
    expect(await screen.findByText(/Submission 1 · .* · sent back/)).toBeTruthy();
  });
});

describe("attesting and reviewing", () => {
  test("the requesting party reads the report and confirms it", async () => {
    let body: unknown;
    // The server's current state: the page refetches after the action, so GET must answer what POST changed.
    let current = report({ status: "submitted", narrative: "Two trainings held", can_edit: false, allowed_actions: ["attest"], submitted_at: "2027-07-01T09:00:00Z", indicators: [{ name: "Officers trained", unit: "people", baseline: 0, target: 40, actual: 32 }] });
    mockApi({
      ...COMMON,
      "GET /api/v1/reports/r1": () => tagged(current),
      "POST /api/v1/reports/r1/actions/attest": async (request) => {
        body = await request.json();
        current = report({ ...current, status: "attested", allowed_actions: [], attestation: "confirmed", attested_at: "2027-07-02T09:00:00Z", version: 2 });
        return tagged(current);
      },
    });
    const user = userEvent.setup();
    renderReport();
    expect((await screen.findByTestId("report-content")).textContent).toContain("Two trainings held");
    expect(within(screen.getByTestId("indicators-view")).getByText("80%")).toBeTruthy();
    expect(screen.queryByTestId("report-form")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Confirm the report" }));
    expect((await screen.findByTestId("attestation-note")).textContent).toContain("Confirmed by the requesting party");
    expect(body).toEqual({ attestation: "confirmed" });
  });

  test("a reviewer cannot send a report back without saying what to change (the server's error shows on the comment)", async () => {
    mockApi({
      ...COMMON,
      "GET /api/v1/reports/r1": () => tagged(report({ status: "attested", narrative: "x", can_edit: false, allowed_actions: ["accept", "send_back"], submitted_at: "2027-07-01T09:00:00Z" })),
      "POST /api/v1/reports/r1/actions/send_back": () =>
        json({ error: "ValidationError", detail: "Invalid", fields: [{ field: "body.comment", message: "Say what to change" }] }, 422),
    });
    const user = userEvent.setup();
    renderReport();
    await user.click(await screen.findByRole("button", { name: "Send back for changes" }));
    expect(await screen.findByText("Say what to change")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Accept the report" })).toBeTruthy();
  });
});

describe("traffic light", () => {
  test("says its state in words, not only in colour", () => {
    render(
      <MantineProvider theme={theme}>
        <TrafficLight value="overdue" />
        <TrafficLight value="due_soon" />
        <TrafficLight value="on_track" />
      </MantineProvider>,
    );
    const lights = screen.getAllByTestId("traffic-light");
    expect(lights.map((l) => l.textContent)).toEqual(["Overdue", "Due soon", "On track"]);
    expect(lights.every((l) => l.querySelector("svg[aria-hidden]"))).toBe(true);
  });
});
