import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import { RequestFormPage } from "@/features/requests/RequestFormPage";
import { json, mockApi, NIGER_FOCAL_POINT, REFERENCE } from "./mockApi";

afterEach(() => vi.restoreAllMocks());

function renderNew() {
  const router = createMemoryRouter(
    [
      { path: "/requests/new", element: <RequestFormPage /> },
      { path: "/requests/:id", element: <p>detail page</p> },
    ],
    { initialEntries: ["/requests/new"] },
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

describe("drafting a request", () => {
  test("checks the obvious before sending, in the UI language, next to the field", async () => {
    const calls = mockApi({ ...REFERENCE, "GET /api/v1/auth/me": () => json(NIGER_FOCAL_POINT) });
    renderNew();
    await userEvent.click(await screen.findByRole("button", { name: "Save the draft" }));
    expect(await screen.findByText("Give a title of at least 3 characters.")).toBeTruthy();
    expect(screen.getByText("Choose the area of this component.")).toBeTruthy();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });

  test("a retry after a lost response reuses the form's Idempotency-Key, so no second record is created", async () => {
    let attempts = 0;
    const calls = mockApi({
      ...REFERENCE,
      "GET /api/v1/auth/me": () => json(NIGER_FOCAL_POINT),
      "POST /api/v1/support-requests": () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError("Failed to fetch");
        return json({ id: "r9", reference: "REQ-2026-00009" }, 201, { ETag: '"r9:1"' });
      },
    });
    const router = renderNew();
    await userEvent.type(await screen.findByRole("textbox", { name: /^Title/ }), "Registration offices");
    await userEvent.click(screen.getByRole("combobox", { name: "Area" }));
    await userEvent.click(await screen.findByRole("option", { name: "Registration and documentation", hidden: true }));
    await userEvent.click(screen.getByRole("button", { name: "Save the draft" }));
    await screen.findByText("Failed to fetch");
    await userEvent.click(screen.getByRole("button", { name: "Save the draft" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/requests/r9"));

    const posts = calls.filter((c) => c.method === "POST");
    expect(posts).toHaveLength(2);
    const keys = posts.map((p) => p.headers.get("Idempotency-Key"));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const body = await posts[1]?.clone().json();
    expect(body).toMatchObject({
      organisation_id: "org-ner",
      title: "Registration offices",
      components: [{ area_code: "procedures.registration", support_types: ["technical"] }],
      urgency: "normal",
      allow_publication: false,
    });
  });
});
