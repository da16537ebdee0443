import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import { SignInPage } from "@/features/auth/SignInPage";

function renderSignIn() {
  const router = createMemoryRouter([{ path: "/sign-in", element: <SignInPage /> }, { path: "/", element: <p>home</p> }], {
    initialEntries: ["/sign-in"],
  });
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={makeQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return router;
}

afterEach(() => vi.restoreAllMocks());

describe("SignInPage", () => {
  test("shows the lockout message from the server's envelope", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(JSON.stringify({ error: "AccountLocked", detail: "locked" }), {
        status: 429,
        headers: { "content-type": "application/json" },
      }),
    );
    renderSignIn();
    await userEvent.type(screen.getByLabelText(/E-mail/), "a@b.org");
    await userEvent.type(screen.getByLabelText(/^Password/), "whatever");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/temporarily locked/);
  });

  test("goes home after a successful sign-in", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(
      new Response(
        JSON.stringify({ id: "1", email: "a@b.org", full_name: "A", preferred_language: "en", is_secretariat: false, is_unhcr: false, unhcr_countries: [], memberships: [] }),
        { status: 200, headers: { "content-type": "application/json" } },
      ),
    );
    const router = renderSignIn();
    await userEvent.type(screen.getByLabelText(/E-mail/), "a@b.org");
    await userEvent.type(screen.getByLabelText(/^Password/), "whatever password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
  });
});
