import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import { ClientDetailPage } from "@/features/integrations/ClientDetailPage";
import { ClientsPage } from "@/features/integrations/ClientsPage";
import { json, mockApi } from "./mockApi";

afterEach(() => vi.restoreAllMocks());

// Mantine's autosizing textarea listens to font loading, which jsdom does not have.
if (!("fonts" in document)) {
  Object.defineProperty(document, "fonts", { value: { addEventListener: () => undefined, removeEventListener: () => undefined }, configurable: true });
}

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
const SECRET = "acsg_cs_4f9a1c2e8b7d6a5f4e3d2c1b0a9f8e7d";
const CLIENT_ID = "8d7f6e5d-4c3b-2a19-8f7e-6d5c4b3a2f10";

function client(overrides: Record<string, unknown> = {}) {
  return {
    id: CLIENT_ID,
    client_id: CLIENT_ID,
    name: "GRF pledge platform",
    description: "Syncs pledges",
    scopes: ["changes:read", "pledges:write"],
    organisation_id: null,
    secret_prefix: "acsg_cs_4f9a",
    secret_version: 1,
    secret_rotated_at: null,
    rate_limit_per_minute: 600,
    has_own_rate_limit: false,
    is_active: true,
    revoked_at: null,
    created_at: "2026-11-29T10:00:00Z",
    updated_at: "2026-11-29T10:00:00Z",
    ...overrides,
  };
}

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      { path: "/admin/integrations", element: <ClientsPage /> },
      { path: "/admin/integrations/:id", element: <ClientDetailPage /> },
    ],
    { initialEntries: [path] },
  );
  return render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={makeQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
}

async function chooseOption(user: ReturnType<typeof userEvent.setup>, label: RegExp, option: RegExp) {
  await user.click(screen.getByRole("combobox", { name: label }));
  await user.click(await screen.findByRole("option", { name: option, hidden: true }));
}

describe("registering a client", () => {
  test("sends name, scopes and limit, then shows the id and secret once until the user confirms storing it", async () => {
    const posted: unknown[] = [];
    let list = [client({ name: "Existing", id: "c0", client_id: "c0", scopes: ["requests:read"] })];
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      "GET /api/v1/integrations/clients": () => json(list),
      "GET /api/v1/organisations": () => json({ items: [], next_cursor: null, total: 0 }),
      "POST /api/v1/integrations/clients": async (request) => {
        const body = (await request.json()) as Record<string, unknown>;
        posted.push(body);
        const created = client({ name: body.name, description: body.description, scopes: body.scopes, rate_limit_per_minute: body.rate_limit_per_minute, has_own_rate_limit: true });
        list = [...list, created];
        return json({ ...created, client_secret: SECRET }, 201);
      },
    });
    const user = userEvent.setup();
    renderAt("/admin/integrations");

    const table = await screen.findByTestId("clients");
    expect(within(table).getAllByTestId("client-row")).toHaveLength(1);
    expect(within(table).getByText("requests:read")).toBeTruthy();
    expect(within(table).getByText("Active")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Register a client" }));
    const dialog = await screen.findByRole("dialog", { name: "Register a client" });
    // Nothing is sent without a name and a scope.
    await user.click(within(dialog).getByRole("button", { name: "Register" }));
    expect(await within(dialog).findByText("Give the client a name.")).toBeTruthy();
    expect(within(dialog).getByText("Choose at least one scope.")).toBeTruthy();
    expect(posted).toHaveLength(0);

    await user.type(within(dialog).getByRole("textbox", { name: /^Name/ }), "GRF pledge platform");
    await user.type(within(dialog).getByRole("textbox", { name: "Description" }), "Syncs pledges");
    await chooseOption(user, /^Scopes/, /^pledges:write/);
    await chooseOption(user, /^Scopes/, /^changes:read/);
    await user.type(within(dialog).getByRole("textbox", { name: /^Rate limit/ }), "120");
    await user.click(within(dialog).getByRole("button", { name: "Register" }));

    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({
      name: "GRF pledge platform",
      description: "Syncs pledges",
      scopes: ["pledges:write", "changes:read"],
      organisation_id: null,
      rate_limit_per_minute: 120,
    });

    const shown = await screen.findByTestId("secret-once");
    expect(within(shown).getByText(/This is the only time the secret of “GRF pledge platform” is shown/)).toBeTruthy();
    expect(within(shown).getByRole("textbox", { name: "Client ID" })).toHaveProperty("value", CLIENT_ID);
    expect(within(shown).getByRole("textbox", { name: "Client secret" })).toHaveProperty("value", SECRET);
    expect(within(shown).getByRole("button", { name: "Copy the Client secret" })).toBeTruthy();
    // Neither Escape nor a Done before confirming dismisses it.
    await user.keyboard("{Escape}");
    expect(screen.getByTestId("secret-once")).toBeTruthy();
    const done = within(shown).getByRole("button", { name: "Done" });
    expect(done).toHaveProperty("disabled", true);
    await user.click(within(shown).getByRole("checkbox", { name: "I have stored the secret in a safe place" }));
    await user.click(done);

    await waitFor(() => expect(screen.queryByTestId("secret-once")).toBeNull());
    // Gone from the page for good: the list shows the new client, never its secret.
    await waitFor(() => expect(within(screen.getByTestId("clients")).getAllByTestId("client-row")).toHaveLength(2));
    expect(document.body.textContent).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  test("an error of the envelope shows on the field it names", async () => {
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      "GET /api/v1/integrations/clients": () => json([]),
      "GET /api/v1/organisations": () => json({ items: [], next_cursor: null, total: 0 }),
      "POST /api/v1/integrations/clients": () =>
        json({ error: "ValidationError", detail: "Invalid input", fields: [{ field: "body.rate_limit_per_minute", message: "Input should be less than or equal to 100000" }] }, 422),
    });
    const user = userEvent.setup();
    renderAt("/admin/integrations");
    expect(await screen.findByTestId("no-clients")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Register a client" }));
    const dialog = await screen.findByRole("dialog", { name: "Register a client" });
    await user.type(within(dialog).getByRole("textbox", { name: /^Name/ }), "Too fast");
    await chooseOption(user, /^Scopes/, /^requests:read/);
    await user.click(within(dialog).getByRole("button", { name: "Register" }));
    const limit = within(dialog).getByRole("textbox", { name: /^Rate limit/ });
    await waitFor(() => expect(limit.getAttribute("aria-invalid")).toBe("true"));
    expect(within(dialog).getByText("Input should be less than or equal to 100000")).toBeTruthy();
    expect(screen.queryByTestId("secret-once")).toBeNull();
  });
});

describe("a client's page", () => {
  test("rotating the secret asks first, then shows the new one once", async () => {
    let rotations = 0;
    let current = client();
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}`]: () => json(current),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}/webhook-subscriptions`]: () => json([]),
      "GET /api/v1/integrations/clients": () => json([current]),
      [`POST /api/v1/integrations/clients/${CLIENT_ID}/rotate-secret`]: () => {
        rotations += 1;
        current = client({ secret_version: 2, secret_prefix: "acsg_cs_77aa", secret_rotated_at: "2026-11-29T11:00:00Z" });
        return json({ client_id: CLIENT_ID, client_secret: "acsg_cs_77aa-new-secret", secret_version: 2 });
      },
    });
    const user = userEvent.setup();
    renderAt(`/admin/integrations/${CLIENT_ID}`);
    await screen.findByRole("heading", { level: 1, name: "GRF pledge platform" });
    expect(within(screen.getByTestId("client-details")).getByText("acsg_cs_4f9a…")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Rotate the secret" }));
    const confirm = await screen.findByRole("dialog", { name: "Rotate the secret?" });
    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Rotate the secret?" })).toBeNull());
    expect(rotations).toBe(0);

    await user.click(screen.getByRole("button", { name: "Rotate the secret" }));
    await user.click(within(await screen.findByRole("dialog", { name: "Rotate the secret?" })).getByRole("button", { name: "Rotate the secret" }));
    const shown = await screen.findByTestId("secret-once");
    expect(rotations).toBe(1);
    expect(screen.getByRole("dialog", { name: "New secret: store it now" })).toBeTruthy();
    expect(within(shown).getByRole("textbox", { name: "Client secret" })).toHaveProperty("value", "acsg_cs_77aa-new-secret");
    await user.click(within(shown).getByRole("checkbox"));
    await user.click(within(shown).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByTestId("secret-once")).toBeNull());
    expect(document.body.innerHTML).not.toContain("acsg_cs_77aa-new-secret");
    await waitFor(() => expect(within(screen.getByTestId("client-details")).getByText("acsg_cs_77aa…")).toBeTruthy());
  });

  test("revoking asks first; a revoked client offers no more actions", async () => {
    let current = client();
    const revokes: string[] = [];
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}`]: () => json(current),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}/webhook-subscriptions`]: () => json([]),
      "GET /api/v1/integrations/clients": () => json([current]),
      [`POST /api/v1/integrations/clients/${CLIENT_ID}/revoke`]: (request) => {
        revokes.push(request.method);
        current = client({ is_active: false, revoked_at: "2026-11-29T12:00:00Z" });
        return json(current);
      },
    });
    const user = userEvent.setup();
    renderAt(`/admin/integrations/${CLIENT_ID}`);
    await screen.findByRole("heading", { level: 1, name: "GRF pledge platform" });
    await user.click(screen.getByRole("button", { name: "Revoke" }));
    const confirm = await screen.findByRole("dialog", { name: "Revoke this client?" });
    expect(within(confirm).getByText(/This cannot be undone/)).toBeTruthy();
    await user.click(within(confirm).getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(within(screen.getByTestId("client-details")).getByTestId("client-status").textContent).toBe("Revoked"));
    expect(revokes).toEqual(["POST"]);
    expect(screen.getByText(/This client is revoked/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.queryByRole("button", { name: "Rotate the secret" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Revoke" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Edit" })).toBeNull();
  });

  test("editing sends the changed fields; an empty rate limit returns to the default", async () => {
    let current = client({ rate_limit_per_minute: 120, has_own_rate_limit: true });
    const patches: unknown[] = [];
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}`]: () => json(current),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}/webhook-subscriptions`]: () => json([]),
      "GET /api/v1/integrations/clients": () => json([current]),
      [`PATCH /api/v1/integrations/clients/${CLIENT_ID}`]: async (request) => {
        const body = (await request.json()) as Record<string, unknown>;
        patches.push(body);
        current = client({ name: body.name, scopes: body.scopes, rate_limit_per_minute: 600, has_own_rate_limit: false, updated_at: "2026-11-29T12:00:00Z" });
        return json(current);
      },
    });
    const user = userEvent.setup();
    renderAt(`/admin/integrations/${CLIENT_ID}`);
    await screen.findByRole("heading", { level: 1, name: "GRF pledge platform" });
    await user.click(screen.getByRole("button", { name: "Edit" }));
    const form = screen.getByTestId("client-form");
    const name = within(form).getByRole("textbox", { name: /^Name/ });
    await user.clear(name);
    await user.type(name, "GRF platform");
    await user.clear(within(form).getByRole("textbox", { name: /^Rate limit/ }));
    await user.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]).toEqual({ name: "GRF platform", description: "Syncs pledges", scopes: ["changes:read", "pledges:write"], rate_limit_per_minute: null });
    await screen.findByRole("heading", { level: 1, name: "GRF platform" });
    expect(screen.getByText("600 calls per minute (the default)")).toBeTruthy();
  });
});

function subscription(overrides: Record<string, unknown> = {}) {
  return {
    id: "s1",
    url: "https://grf.example.org/hooks/acsg",
    event_types: ["pledge.*", "support_request.updated"],
    description: "Pledge updates",
    is_active: true,
    created_at: "2026-11-29T10:00:00Z",
    updated_at: "2026-11-29T10:00:00Z",
    client_id: CLIENT_ID,
    deliveries: { pending: 1, succeeded: 5, failed: 1, skipped: 0 },
    last_delivery_at: "2026-11-29T11:00:00Z",
    ...overrides,
  };
}

function delivery(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    message_id: `msg_${id}`,
    event_type: "pledge.updated",
    event_id: 42,
    resource: "pledge",
    record_id: "GRF-00017",
    record_version: 3,
    status: "failed",
    attempts: 9,
    next_attempt_at: null,
    last_attempt_at: "2026-11-29T11:00:00Z",
    response_status: 503,
    last_error: "HTTP 503 Service Unavailable",
    created_at: "2026-11-28T10:00:00Z",
    delivered_at: null,
    ...overrides,
  };
}

describe("a client's webhooks", () => {
  test("lists subscriptions, shows the delivery log by status, redelivers and pings", async () => {
    const logQueries: string[] = [];
    const redelivered: string[] = [];
    let pings = 0;
    let failedStatus = "failed";
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}`]: () => json(client({ scopes: ["webhooks:manage"] })),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}/webhook-subscriptions`]: () => json([subscription()]),
      "GET /api/v1/integrations/webhook-subscriptions/s1/deliveries": (request) => {
        const status = new URL(request.url).searchParams.get("status");
        logQueries.push(status ?? "all");
        const all = [
          delivery("d1", { status: failedStatus, attempts: failedStatus === "pending" ? 0 : 9, next_attempt_at: failedStatus === "pending" ? "2026-11-29T12:00:00Z" : null }),
          delivery("d2", { status: "succeeded", response_status: 200, last_error: null, attempts: 1, delivered_at: "2026-11-28T10:00:01Z", event_type: "ping", resource: null, record_id: null, record_version: null }),
        ];
        return json({ items: status ? all.filter((d) => d.status === status) : all, next_cursor: null });
      },
      "POST /api/v1/integrations/webhook-subscriptions/s1/deliveries/([^/]+)/redeliver": (_request, match) => {
        redelivered.push(match[1] ?? "");
        failedStatus = "pending";
        return json(delivery(match[1] ?? "", { status: "pending" }));
      },
      "POST /api/v1/integrations/webhook-subscriptions/s1/ping": () => {
        pings += 1;
        return json(delivery("p1", { event_type: "ping", status: "failed", response_status: null, last_error: "Connection refused", attempts: 1 }));
      },
    });
    const user = userEvent.setup();
    renderAt(`/admin/integrations/${CLIENT_ID}`);
    const card = await screen.findByTestId("subscription");
    expect(within(card).getByTestId("subscription-url").textContent).toBe("https://grf.example.org/hooks/acsg");
    expect(within(card).getByText("pledge.*")).toBeTruthy();
    expect(within(card).getByTestId("delivery-counts").textContent).toMatch(/^Deliveries: 5 delivered, 1 pending, 1 failed, 0 skipped · last one /);

    await user.click(within(card).getByRole("button", { name: "Show the delivery log" }));
    const log = await within(card).findByTestId("delivery-log");
    await waitFor(() => expect(within(log).getAllByTestId("delivery-row")).toHaveLength(2));
    const cells = within(log).getAllByTestId("delivery-row").map((tr) => within(tr).getAllByRole("cell").map((td) => td.textContent));
    expect(cells[0]?.slice(1, 6)).toEqual(["pledge.updatedpledge GRF-00017 · v3", "Failed", "9", "503", "HTTP 503 Service Unavailable"]);
    expect(cells[1]?.slice(2, 5)).toEqual(["Delivered", "1", "200"]);
    // A ping is not redelivered: only the event row offers it.
    expect(within(log).getAllByRole("button", { name: /^Redeliver/ })).toHaveLength(1);

    await user.click(within(log).getByRole("radio", { name: "Failed" }));
    await waitFor(() => expect(logQueries).toContain("failed"));
    await waitFor(() => expect(within(log).getAllByTestId("delivery-row")).toHaveLength(1));
    await user.click(within(log).getByRole("radio", { name: "All" }));

    await user.click(within(log).getByRole("button", { name: /^Redeliver pledge.updated/ }));
    await waitFor(() => expect(redelivered).toEqual(["d1"]));
    await waitFor(() => expect(within(within(log).getAllByTestId("delivery-row")[0] as HTMLElement).getByTestId("delivery-status").textContent).toBe("Pending"));

    await user.click(within(card).getByRole("button", { name: "Send a test ping" }));
    const outcome = await within(card).findByTestId("ping-outcome");
    expect(pings).toBe(1);
    expect(outcome.textContent).toBe("Ping not delivered (HTTP —): Connection refused");
  });

  test("a client without subscriptions says how it gets one", async () => {
    mockApi({
      "GET /api/v1/auth/me": () => json(SECRETARIAT),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}`]: () => json(client()),
      [`GET /api/v1/integrations/clients/${CLIENT_ID}/webhook-subscriptions`]: () => json([]),
    });
    renderAt(`/admin/integrations/${CLIENT_ID}`);
    expect((await screen.findByTestId("no-subscriptions")).textContent).toMatch(/needs the webhooks:manage scope/);
  });
});
