import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import {
  agreementParties,
  byStage,
  consentInboxState,
  type FacilitatorView,
  type MatchListItem,
  partiesAwaitingMyConsent,
  type PartyFull,
  type PartyView,
  stageActions,
  trafficLight,
} from "@/features/matches/logic";
import { MatchPage } from "@/features/matches/MatchPage";
import { notificationTarget } from "@/features/notifications/NotificationsPage";
import { json, mockApi, NIGER_FOCAL_POINT, REFERENCE } from "./mockApi";

afterEach(() => vi.restoreAllMocks());

if (!("fonts" in document)) {
  Object.defineProperty(document, "fonts", { configurable: true, value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
}

const NOW = new Date("2026-11-20T12:00:00Z");

function row(overrides: Partial<MatchListItem>): MatchListItem {
  return {
    id: "m1",
    reference: "MAT-1",
    status: "under_discussion",
    area_codes: [],
    requesting_countries: null,
    party_names: null,
    consent_deadline: null,
    next_action_on: null,
    pending_consents: 0,
    updated_at: "2026-11-01T00:00:00Z",
    attention: [],
    ...overrides,
  };
}

function party(overrides: Partial<PartyFull> = {}): PartyFull {
  return {
    id: "p-own",
    side: "requesting",
    organisation: { id: "org-ner", name: "DGEC-M/R", kind: "state_institution", contributor_type: "state", country_iso3: "NER" },
    record: {
      id: "r1",
      kind: "request",
      reference: "REQ-1",
      title: "Registration in Niger",
      public_summary: "",
      confidential_details: "Budget annex",
      contacts: [],
      attachments: [],
      languages: ["fr"],
      starts_on: null,
      ends_on: null,
      components: [{ id: "c1", area_code: "procedures.registration", modalities: ["training"], support_types: ["technical"], description: "" }],
    },
    consent_status: "pending",
    consent_version: null,
    consent_conditions: null,
    consent_decided_at: null,
    publication_consent: null,
    pledge_id: null,
    ...overrides,
  };
}

const COMMON = {
  id: "m1",
  reference: "MAT-2026-00007",
  status: "consent_pending" as const,
  proposal_version: 2,
  public_summary: "",
  consent_deadline: "2026-12-20T12:00:00Z",
  consented_at: null,
  agreed_at: null,
  agreed_scope: "",
  agreed_modalities: [],
  starts_on: null,
  ends_on: null,
  suggested_pledge_stage: null,
  created_at: "2026-11-01T10:00:00Z",
  updated_at: "2026-11-01T10:00:00Z",
  version: 4,
};

function partyView(overrides: Partial<PartyView> = {}): PartyView {
  return {
    ...COMMON,
    allowed_actions: [],
    view: "party",
    my_parties: [party()],
    counterparts: [
      {
        disclosed: false,
        id: "p-other",
        side: "offering",
        kind: "academia",
        region_code: "150",
        bureau_code: "europe",
        languages: ["en", "fr"],
        components: [{ area_code: "procedures.registration", modalities: ["training"], support_types: ["technical"] }],
        consent_status: "pending",
      } as unknown as PartyView["counterparts"][number],
    ],
    can_consent: true,
    can_consent_to_publication: true,
    ...overrides,
  };
}

describe("match rules", () => {
  test("traffic light: overdue is red, a near deadline orange, waiting yellow, moving green, closed none", () => {
    expect(trafficLight(row({ attention: ["deadline_passed"] }), NOW)).toBe("red");
    expect(trafficLight(row({ next_action_on: "2026-11-19" }), NOW)).toBe("red");
    expect(trafficLight(row({ status: "consent_pending", consent_deadline: "2026-11-19T00:00:00Z" }), NOW)).toBe("red");
    expect(trafficLight(row({ status: "consent_pending", consent_deadline: "2026-11-21T00:00:00Z" }), NOW)).toBe("orange");
    expect(trafficLight(row({ status: "consent_pending", consent_deadline: "2026-12-21T00:00:00Z" }), NOW)).toBe("yellow");
    expect(trafficLight(row({ status: "proposed" }), NOW)).toBe("yellow");
    expect(trafficLight(row({ next_action_on: "2026-11-25" }), NOW)).toBe("green");
    expect(trafficLight(row({ status: "fulfilled", next_action_on: "2026-01-01" }), NOW)).toBe("none");
  });

  test("the consent inbox: waiting for me, then for the others once I granted this version", () => {
    expect(consentInboxState(partyView())).toBe("mine");
    const granted = partyView({ my_parties: [party({ consent_status: "granted", consent_version: 2 })] });
    expect(partiesAwaitingMyConsent(granted)).toEqual([]);
    expect(consentInboxState(granted)).toBe("others");
    // A grant of an older version counts for nothing: the new version waits for me again.
    expect(consentInboxState(partyView({ my_parties: [party({ consent_status: "granted", consent_version: 1 })] }))).toBe("mine");
    expect(consentInboxState(partyView({ status: "consented" }))).toBeNull();
    expect(consentInboxState(partyView({ can_consent: false }))).toBeNull();
  });

  test("agreement rows: every party for facilitators, own and disclosed ones for a party", () => {
    expect(agreementParties(partyView()).map((p) => p.id)).toEqual(["p-own"]);
    const facilitator = { ...COMMON, view: "facilitator", parties: [party(), party({ id: "p2", side: "offering" })] } as unknown as FacilitatorView;
    expect(agreementParties(facilitator).map((p) => [p.id, p.side])).toEqual([
      ["p-own", "requesting"],
      ["p2", "offering"],
    ]);
  });

  test("board columns keep every stage, and stage buttons leave out what has its own form", () => {
    const columns = byStage([row({ id: "a", status: "planning" }), row({ id: "b", status: "cancelled" })], ["proposed", "planning"]);
    expect(columns).toEqual({ proposed: [], planning: [expect.objectContaining({ id: "a" })] });
    expect(stageActions(["agree", "revise", "start_planning", "cancel"])).toEqual(["start_planning", "cancel"]);
  });

  test("notifications lead to paths inside the platform only", () => {
    expect(notificationTarget({ link: "/matches/m1", match_id: "m1" })).toBe("/matches/m1");
    expect(notificationTarget({ link: "https://evil.example/x", match_id: "m1" })).toBe("/matches/m1");
    expect(notificationTarget({ link: "//evil.example", match_id: null })).toBeNull();
  });
});

function renderMatch(path = "/matches/m1") {
  const router = createMemoryRouter(
    [
      { path: "/matches/:id", element: <MatchPage /> },
      { path: "/portal/matches/:id", element: <p>public match page</p> },
    ],
    { initialEntries: [path] },
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

describe("the match page", { timeout: 20_000 }, () => {
  test("a party sees the counterpart redacted, and grants consent on the version shown", async () => {
    const user = userEvent.setup({ delay: null });
    const decisions: unknown[] = [];
    mockApi({
      ...REFERENCE,
      "GET /api/v1/auth/me": () => json(NIGER_FOCAL_POINT),
      "GET /api/v1/matches/m1": () => json(partyView(), 200, { ETag: '"m1:4"' }),
      "GET /api/v1/matches/m1/timeline": () => json([]),
      "POST /api/v1/matches/m1/consent": async (request) => {
        decisions.push(await request.json());
        return json(partyView({ my_parties: [party({ consent_status: "granted", consent_version: 2 })] }), 200, { ETag: '"m1:5"' });
      },
    });
    renderMatch();
    const redacted = await screen.findByTestId("counterpart-redacted");
    expect(within(redacted).getByRole("heading").textContent).toMatch(/^A stakeholder \(academia\) in /);
    expect(screen.queryByTestId("party-full")).toBeNull();
    expect(screen.getByTestId("redacted-note")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Grant consent" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: "Conditions (optional)" }), "Only in French");
    await user.click(within(dialog).getByRole("button", { name: "Grant consent" }));
    await waitFor(() => expect(decisions).toHaveLength(1));
    expect(decisions[0]).toEqual({ party_id: "p-own", decision: "grant", proposal_version: 2, conditions: "Only in French" });
  });

  test("a stage action sends the ETag it read; a 412 asks to reload", async () => {
    const user = userEvent.setup({ delay: null });
    const ifMatch: (string | null)[] = [];
    const facilitator = {
      ...COMMON,
      status: "agreed",
      view: "facilitator",
      allowed_actions: ["start_planning", "cancel"],
      parties: [party()],
      items: [],
      facilitators: [],
      justification: null,
      allocation_run_id: null,
      criteria_version: 3,
      status_reason: null,
      next_action: null,
      next_action_on: null,
      disclosed: true,
    };
    mockApi({
      ...REFERENCE,
      "GET /api/v1/auth/me": () => json({ ...NIGER_FOCAL_POINT, is_secretariat: true }),
      "GET /api/v1/matches/m1": () => json(facilitator, 200, { ETag: '"m1:4"' }),
      "GET /api/v1/matches/m1/timeline": () => json([]),
      "GET /api/v1/matches/m1/notes": () => json([]),
      "POST /api/v1/matches/m1/actions/start_planning": (request) => {
        ifMatch.push(request.headers.get("If-Match"));
        return json({ error: "PreconditionFailed", detail: "The record changed since you read it" }, 412);
      },
    });
    renderMatch();
    await user.click(await screen.findByRole("button", { name: "Move to planning" }));
    expect(await screen.findByText("The match changed meanwhile")).toBeTruthy();
    expect(ifMatch).toEqual(['"m1:4"']);
    expect(screen.getByRole("button", { name: "Reload" })).toBeTruthy();
  });

  test("a public view goes to the portal's match page", async () => {
    mockApi({
      ...REFERENCE,
      "GET /api/v1/auth/me": () => json({ error: "Unauthorized", detail: "" }, 401),
      "GET /api/v1/matches/m1": () =>
        json({ view: "public", id: "m1", reference: "MAT-1", public_summary: "", stage: "planning", parties: [], area_codes: [], starts_on: null, ends_on: null }),
    });
    const router = renderMatch();
    await waitFor(() => expect(router.state.location.pathname).toBe("/portal/matches/m1"));
  });
});
