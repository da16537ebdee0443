import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import { ComponentsEditor } from "@/components/commitments/ComponentsEditor";
import type { ComponentDraft } from "@/components/commitments/drafts";
import { RequestFormPage } from "@/features/requests/RequestFormPage";
import { json, mockApi, NIGER_FOCAL_POINT, REFERENCE } from "./mockApi";

afterEach(() => vi.restoreAllMocks());

function record(title: string, version: number) {
  return {
    id: "r1",
    reference: "REQ-2026-00042",
    title,
    status: "draft",
    country_iso3: "NER",
    organisation: { id: "org-ner", name: "DGEC-M/R", kind: "state_institution", country_iso3: "NER" },
    partners: [],
    pledges: [],
    components: [
      { id: "c0", position: 0, area_code: "procedures.coi", modalities: [], support_types: ["technical"], description: "COI unit", status: "open" },
      { id: "c1", position: 1, area_code: "procedures.registration", modalities: ["training"], support_types: ["technical"], description: "Registration", status: "open" },
    ],
    qualities: [],
    languages: [],
    starts_on: null,
    ends_on: null,
    urgency: "normal",
    is_establishing_system: false,
    public_summary: "",
    validated_at: null,
    updated_at: "2026-11-01T10:00:00Z",
    view: "full",
    commitment_text: "",
    context: "",
    confidential_details: "",
    contacts: [],
    attachments: [],
    allow_publication: false,
    rejection_reason: null,
    submitted_at: null,
    closed_at: null,
    created_at: "2026-11-01T10:00:00Z",
    version,
    allowed_actions: ["submit", "withdraw"],
    duplication_warnings: [],
  };
}

function renderEdit() {
  const router = createMemoryRouter(
    [
      { path: "/requests/:id/edit", element: <RequestFormPage /> },
      { path: "/requests/:id", element: <p>detail page</p> },
    ],
    { initialEntries: ["/requests/r1/edit"] },
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

describe("editing a request", () => {
  test("sends the ETag it read, and shows a component's server error on that component, wherever it moves", async () => {
    const calls = mockApi({
      ...REFERENCE,
      "GET /api/v1/auth/me": () => json(NIGER_FOCAL_POINT),
      "GET /api/v1/support-requests/r1": () => json(record("Support to registration", 3), 200, { ETag: '"r1:3"' }),
      "PATCH /api/v1/support-requests/r1": () =>
        json(
          {
            error: "ValidationError",
            detail: "Invalid input: body.components.1.area_code",
            fields: [{ field: "body.components.1.area_code", message: "Unknown or retired area code 'procedures.registration'" }],
          },
          422,
        ),
    });
    renderEdit();
    await userEvent.click(await screen.findByRole("button", { name: "Save" }));

    const patch = await waitFor(() => {
      const found = calls.find((c) => c.method === "PATCH");
      expect(found).toBeDefined();
      return found as Request;
    });
    expect(patch.headers.get("If-Match")).toBe('"r1:3"');
    const body = await patch.clone().json();
    expect(body.components.map((c: { area_code: string }) => c.area_code)).toEqual(["procedures.coi", "procedures.registration"]);

    const message = "Unknown or retired area code 'procedures.registration'";
    await screen.findByText(message);
    let rows = screen.getAllByTestId("component-row");
    expect(within(rows[1] as HTMLElement).queryByText(message)).not.toBeNull();
    expect(within(rows[0] as HTMLElement).queryByText(message)).toBeNull();

    // The faulty component moves to the top: its error goes with it.
    await userEvent.click(screen.getByRole("button", { name: "Move component 2 up" }));
    rows = screen.getAllByTestId("component-row");
    expect(within(rows[0] as HTMLElement).queryByText(message)).not.toBeNull();
    expect(within(rows[1] as HTMLElement).queryByText(message)).toBeNull();
    expect(screen.getByText("Some fields need your attention: see the messages next to them.")).toBeTruthy();
  });

  test("a stale record (412) is reported, and reloading brings the other person's version", async () => {
    let version = 3;
    mockApi({
      ...REFERENCE,
      "GET /api/v1/auth/me": () => json(NIGER_FOCAL_POINT),
      "GET /api/v1/support-requests/r1": () =>
        json(record(version === 3 ? "Mine" : "Theirs", version), 200, { ETag: `"r1:${version}"` }),
      "PATCH /api/v1/support-requests/r1": () => {
        version = 4;
        return json({ error: "PreconditionFailed", detail: "The record changed since you read it" }, 412);
      },
    });
    renderEdit();
    const title = await screen.findByRole("textbox", { name: /^Title/ });
    expect((title as HTMLInputElement).value).toBe("Mine");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("This record changed since you opened it");
    await userEvent.click(screen.getByRole("button", { name: "Reload the latest version" }));
    await waitFor(() => expect((screen.getByRole("textbox", { name: /^Title/ }) as HTMLInputElement).value).toBe("Theirs"));
    expect(screen.queryByText("This record changed since you opened it")).toBeNull();
  });
});

function Editor({ initial }: { initial: ComponentDraft[] }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <ComponentsEditor value={value} onChange={setValue} />
      <output data-testid="order">{value.map((c) => c.description).join(",")}</output>
    </>
  );
}

describe("the components editor", () => {
  test("adds, reorders and removes components, never below one", async () => {
    mockApi(REFERENCE);
    const row = (description: string): ComponentDraft => ({ key: description, area_code: null, modalities: [], support_types: ["technical"], description });
    render(
      <MantineProvider theme={theme}>
        <QueryClientProvider client={makeQueryClient()}>
          <Editor initial={[row("first"), row("second")]} />
        </QueryClientProvider>
      </MantineProvider>,
    );
    expect(screen.getByRole("button", { name: "Move component 1 up" })).toHaveProperty("disabled", true);
    await userEvent.click(screen.getByRole("button", { name: "Move component 1 down" }));
    expect(screen.getByTestId("order").textContent).toBe("second,first");
    await userEvent.click(screen.getByRole("button", { name: "Add a component" }));
    expect(screen.getAllByTestId("component-row")).toHaveLength(3);
    await userEvent.click(screen.getByRole("button", { name: "Remove component 1" }));
    await userEvent.click(screen.getByRole("button", { name: "Remove component 1" }));
    expect(screen.getByTestId("order").textContent).toBe("");
    expect(screen.getByRole("button", { name: "Remove component 1" })).toHaveProperty("disabled", true);
  });
});
