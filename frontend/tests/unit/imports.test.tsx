import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import { ImportsPage } from "@/features/imports/ImportsPage";
import { confirmChoice, countsMeaning, filterIssues, type ImportIssue, type ImportJob, progressPercent } from "@/features/imports/logic";
import { json, mockApi } from "./mockApi";

afterEach(() => vi.restoreAllMocks());

const SECRETARIAT = {
  id: "u0",
  email: "secretariat@acsg.demo",
  full_name: "Secretariat",
  preferred_language: "en",
  is_secretariat: true,
  is_unhcr: false,
  unhcr_countries: [],
  memberships: [],
};

const KINDS = [
  { name: "pledges", title: "Pledges", may_import: false },
  { name: "requests", title: "Support requests", may_import: true },
  { name: "offers", title: "Support offers", may_import: true },
];

const ISSUES: ImportIssue[] = [
  { row: 4, column: "Area", value: "procedures.nowhere", message: "Unknown area code.", severity: "error" },
  { row: null, column: "Notes", value: null, message: "This column is not imported (unknown header).", severity: "warning" },
  { row: 3, column: "Start date", value: "31/02/2026", message: "Not a date.", severity: "error" },
  { row: 3, column: "Languages", value: "fr; xx", message: "Unknown language 'xx' ignored.", severity: "warning" },
];

function job(overrides: Partial<ImportJob> = {}): ImportJob {
  return {
    id: "job-1",
    kind: "requests",
    status: "failed",
    dry_run: true,
    mode: "all_or_nothing",
    source: "unhcr-ner",
    filename: "requests.csv",
    file_format: "csv",
    rows_total: 3,
    rows_done: 3,
    counts: { rows: 3, records: 3, created: 1, updated: 0, unchanged: 0, rejected: 2, rejected_rows: 2, errors: 2, warnings: 2 },
    error_code: null,
    error: null,
    issues: ISSUES,
    issues_total: 4,
    records: [
      { rows: [2], key: "NE-1", outcome: "created", id: null },
      { rows: [3], key: "NE-2", outcome: "rejected", id: null },
      { rows: [4], key: "NE-3", outcome: "rejected", id: null },
    ],
    has_rejected_rows: true,
    created_at: "2026-11-29T10:00:00Z",
    started_at: "2026-11-29T10:00:00Z",
    finished_at: "2026-11-29T10:00:01Z",
    ...overrides,
  };
}

const CSV = "External ID,Country\nNE-1,NER\n";

type Sent = { dry_run: string | null; mode: string | null; source: string | null; file: string | null };

async function formOf(request: Request): Promise<Sent> {
  const form = await request.formData();
  const file = form.get("file");
  return {
    dry_run: form.get("dry_run") as string | null,
    mode: form.get("mode") as string | null,
    source: form.get("source") as string | null,
    // jsdom's File crosses into the request as a plain blob (its name is lost): compare the content.
    file: file !== null && typeof file === "object" ? await (file as Blob).text() : null,
  };
}

function renderPage() {
  const router = createMemoryRouter(
    [
      { path: "/imports", element: <ImportsPage /> },
      { path: "/imports/jobs/:id", element: <p>job page</p> },
    ],
    { initialEntries: ["/imports"] },
  );
  const view = render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={makeQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return view;
}

async function chooseFile(container: HTMLElement, name = "requests.csv") {
  const input = await waitFor(() => {
    const found = container.querySelector('input[type="file"]') as HTMLInputElement | null;
    expect(found).not.toBeNull();
    return found as HTMLInputElement;
  });
  fireEvent.change(input, { target: { files: [new File([CSV], name, { type: "text/csv" })] } });
}

describe("the row report", () => {
  test("lists file-level issues first, then by row with errors before warnings, and filters by severity", () => {
    const rows = filterIssues(ISSUES, "all").map((i) => `${i.row ?? "file"}:${i.severity}:${i.column}`);
    expect(rows).toEqual(["file:warning:Notes", "3:error:Start date", "3:warning:Languages", "4:error:Area"]);
    expect(filterIssues(ISSUES, "error").map((i) => i.row)).toEqual([3, 4]);
    expect(filterIssues(ISSUES, "warning").map((i) => i.column)).toEqual(["Notes", "Languages"]);
  });

  test("counts mean what a dry run would do, what a run did, or nothing written", () => {
    expect(countsMeaning(job())).toBe("wouldDo");
    expect(countsMeaning(job({ dry_run: false, status: "succeeded", mode: "valid_rows_only" }))).toBe("done");
    expect(countsMeaning(job({ dry_run: false, status: "failed", mode: "all_or_nothing" }))).toBe("notWritten");
    expect(countsMeaning(job({ dry_run: false, status: "cancelled" }))).toBe("notWritten");
    expect(countsMeaning(job({ status: "running" }))).toBe("pending");
  });

  test("after a dry run with errors the default is valid rows only; a refused file has nothing to import", () => {
    expect(confirmChoice(job())).toEqual({ possible: true, defaultMode: "valid_rows_only", hasErrors: true, importable: 1 });
    const clean = job({ status: "succeeded", issues: [], counts: { rows: 2, records: 2, created: 1, updated: 1, unchanged: 0, rejected: 0, rejected_rows: 0, errors: 0, warnings: 0 } });
    expect(confirmChoice(clean).defaultMode).toBe("all_or_nothing");
    expect(confirmChoice(job({ error_code: "columns", error: "Required columns are missing" })).possible).toBe(false);
  });

  test("progress is rows done of the total, unknown before the file is read", () => {
    expect(progressPercent({ status: "running", rows_done: 250, rows_total: 1000 })).toBe(25);
    expect(progressPercent({ status: "queued", rows_done: 0, rows_total: null })).toBeNull();
    expect(progressPercent({ status: "succeeded", rows_done: 0, rows_total: 0 })).toBe(100);
  });
});

describe("the imports page", () => {
  test("checks a file, shows the report table, then imports the valid rows only", async () => {
    const sent: Sent[] = [];
    let jobs: unknown[] = [];
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      "GET /api/v1/imports/kinds": () => json(KINDS),
      "GET /api/v1/imports/jobs": () => json(jobs),
      "POST /api/v1/imports/requests": async (request) => {
        const form = await formOf(request);
        sent.push(form);
        if (form.dry_run === "true") return json(job());
        const done = job({
          id: "job-2",
          dry_run: false,
          status: "succeeded",
          mode: "valid_rows_only",
          records: [{ rows: [2], key: "NE-1", outcome: "created", id: "r1" }, ...job().records.slice(1)],
        });
        jobs = [{ ...done, issues: undefined, records: undefined }];
        return json(done);
      },
    });
    const user = userEvent.setup();
    const { container } = renderPage();

    // Only the kinds the API lets this user import; templates in the three formats for the chosen kind.
    await screen.findByRole("heading", { level: 1, name: "Bulk imports" });
    const kind = (await screen.findAllByLabelText("What to import"))[0] as HTMLInputElement;
    await waitFor(() => expect(kind).toHaveProperty("value", "Support requests"));
    const templates = within(screen.getByTestId("template-links")).getAllByRole("link");
    expect(templates.map((a) => a.getAttribute("href"))).toEqual([
      "/api/v1/imports/templates/requests?format=xlsx&language=en",
      "/api/v1/imports/templates/requests?format=csv&language=en",
      "/api/v1/imports/templates/requests?format=json&language=en",
    ]);
    expect(screen.getByText("No imports yet.")).toBeTruthy();

    expect(screen.getByRole("button", { name: "Check the file" })).toHaveProperty("disabled", true);
    await chooseFile(container);
    await user.click(screen.getByRole("button", { name: "Check the file" }));

    const report = await screen.findByTestId("import-report");
    expect(sent[0]).toEqual({ dry_run: "true", mode: "all_or_nothing", source: null, file: CSV });
    expect(screen.getByTestId("job-status").textContent).toBe("Errors found");
    expect(within(screen.getByTestId("count-created")).getByText("To create")).toBeTruthy();
    expect(within(screen.getByTestId("count-rejected")).getByText("2")).toBeTruthy();

    const table = within(report).getByTestId("import-issues");
    const headers = within(table).getAllByRole("columnheader").map((th) => th.textContent);
    expect(headers).toEqual(["Row", "Column", "Value", "Message", "Severity"]);
    const cells = () =>
      within(table)
        .getAllByTestId("issue-row")
        .map((tr) => within(tr).getAllByRole("cell").map((td) => td.textContent));
    expect(cells()).toEqual([
      ["File", "Notes", "—", "This column is not imported (unknown header).", "Warning"],
      ["3", "Start date", "31/02/2026", "Not a date.", "Error"],
      ["3", "Languages", "fr; xx", "Unknown language 'xx' ignored.", "Warning"],
      ["4", "Area", "procedures.nowhere", "Unknown area code.", "Error"],
    ]);
    await user.click(within(report).getByText("Errors (2)"));
    expect(cells().map((row) => row[1])).toEqual(["Start date", "Area"]);
    expect(screen.getByTestId("rejected-rows-link").getAttribute("href")).toBe("/api/v1/imports/jobs/job-1/rejected-rows");

    // The dry run found errors: valid rows only is chosen; all or nothing warns it would write nothing.
    expect(screen.getByRole("radio", { name: "Valid rows only" })).toHaveProperty("checked", true);
    await user.click(screen.getByRole("radio", { name: "All or nothing" }));
    expect(screen.getByText(/an all-or-nothing import will write nothing/)).toBeTruthy();
    await user.click(screen.getByRole("radio", { name: "Valid rows only" }));
    await user.click(screen.getByRole("button", { name: "Import 1 record" }));

    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]).toEqual({ dry_run: "false", mode: "valid_rows_only", source: null, file: CSV });
    await waitFor(() => expect(screen.getAllByTestId("job-outcome").map((e) => e.textContent)).toContain(
      "Import finished: 1 created, 0 updated, 0 unchanged, 2 rejected.",
    ));
    // The recent imports list follows.
    const recent = await screen.findByTestId("recent-jobs");
    expect(within(recent).getByText("3 rows: 1 created, 0 updated, 0 unchanged, 2 rejected")).toBeTruthy();
    expect(within(recent).getByRole("link").getAttribute("href")).toBe("/imports/jobs/job-2");
  });

  test("a large file runs in the background: progress is polled and the job can be cancelled", async () => {
    let polls = 0;
    let cancelled = false;
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      "GET /api/v1/imports/kinds": () => json(KINDS),
      "GET /api/v1/imports/jobs": () => json([]),
      "POST /api/v1/imports/requests": () =>
        json(job({ status: "queued", rows_total: null, rows_done: 0, issues: [], records: [], counts: {}, issues_total: 0, finished_at: null }), 202),
      "GET /api/v1/imports/jobs/job-1": () => {
        polls += 1;
        if (cancelled) return json(job({ status: "cancelled", issues: [], records: [], counts: {}, issues_total: 0 }));
        return json(job({ status: "running", rows_total: 40_000, rows_done: 10_000, issues: [], records: [], counts: {}, issues_total: 0, finished_at: null }));
      },
      "POST /api/v1/imports/jobs/job-1/cancel": () => {
        cancelled = true;
        return json(job({ status: "cancelled", issues: [], records: [], counts: {}, issues_total: 0 }));
      },
    });
    const user = userEvent.setup();
    const { container } = renderPage();
    await screen.findByRole("heading", { level: 1, name: "Bulk imports" });
    await chooseFile(container, "big.csv");
    await user.click(screen.getByRole("button", { name: "Check the file" }));

    const progress = await screen.findByTestId("job-progress");
    await waitFor(() => expect(within(progress).getByText("10,000 of 40,000 rows")).toBeTruthy());
    expect(within(progress).getByRole("progressbar", { name: "Import progress" }).getAttribute("aria-valuenow")).toBe("25");
    expect(polls).toBeGreaterThan(0);
    await user.click(within(progress).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.getByTestId("job-status").textContent).toBe("Check cancelled"));
    expect(screen.queryByTestId("job-progress")).toBeNull();
    const before = polls;
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(polls).toBe(before); // a finished job is not polled
  });

  test("errors of the envelope show on the field they name; a refused file explains why", async () => {
    let answer: "field" | "refused" = "field";
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      "GET /api/v1/imports/kinds": () => json(KINDS),
      "GET /api/v1/imports/jobs": () => json([]),
      "POST /api/v1/imports/requests": () =>
        answer === "field"
          ? json(
              { error: "ValidationError", detail: "Invalid input", fields: [{ field: "body.source", message: "A source is a short code" }] },
              422,
            )
          : json(job({ error_code: "columns", error: 'Required columns are missing: "External ID".', issues: [], records: [], counts: {}, issues_total: 0 })),
    });
    const user = userEvent.setup();
    const { container } = renderPage();
    await screen.findByRole("heading", { level: 1, name: "Bulk imports" });
    await chooseFile(container);
    await user.type(screen.getByRole("textbox", { name: /^Source/ }), "Bad Source!");
    await user.click(screen.getByRole("button", { name: "Check the file" }));
    const source = screen.getByRole("textbox", { name: /^Source/ });
    await waitFor(() => expect(source.getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByText("A source is a short code")).toBeTruthy();

    answer = "refused";
    await user.clear(source);
    await user.click(screen.getByRole("button", { name: "Check the file" }));
    const refused = await screen.findByTestId("file-error");
    expect(refused.textContent).toContain('Required columns are missing: "External ID".');
    expect(screen.getByTestId("nothing-to-import")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Import \d/ })).toBeNull();
  });

  test("a user who may import nothing is told so", async () => {
    mockApi({
      "GET /api/v1/auth/me": () => json({ ...SECRETARIAT, is_secretariat: false }),
      "GET /api/v1/imports/kinds": () => json(KINDS.map((k) => ({ ...k, may_import: false }))),
      "GET /api/v1/imports/jobs": () => json([]),
    });
    renderPage();
    expect((await screen.findByTestId("no-kinds")).textContent).toMatch(/may not import/);
    expect(screen.queryByRole("button", { name: "Check the file" })).toBeNull();
  });
});
