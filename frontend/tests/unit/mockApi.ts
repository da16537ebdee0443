// A fake API for component tests: routes by method and path, every request recorded.
import { vi } from "vitest";

export type Handler = (request: Request, match: RegExpMatchArray) => Response | Promise<Response>;
export type Routes = Record<string, Handler>; // "GET /api/v1/..." (a regular expression on the path) -> handler

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** Tests describe the signed-in user as `GET /api/v1/auth/me` (a 401 for a visitor); the app asks
 * `GET /api/v1/auth/session`, which is derived from it unless a test mocks it itself. */
function withSessionState(routes: Routes): Routes {
  const me = routes["GET /api/v1/auth/me"];
  if (!me || routes["GET /api/v1/auth/session"]) return routes;
  return {
    ...routes,
    "GET /api/v1/auth/session": async (request, match) => {
      const response = await me(request, match);
      if (response.status === 401) return json({ user: null });
      return response.ok ? json({ user: await response.json() }) : response;
    },
  };
}

export function mockApi(given: Routes): Request[] {
  const routes = withSessionState(given);
  const calls: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL) => {
    const request = input instanceof Request ? input : new Request(String(input));
    calls.push(request);
    const { pathname } = new URL(request.url);
    for (const [key, handler] of Object.entries(routes)) {
      const [method, pattern] = key.split(" ", 2);
      const match = pathname.match(new RegExp(`^${pattern}$`));
      if (method === request.method && match) return handler(request, match);
    }
    return json({ error: "NotFound", detail: `no mock for ${request.method} ${pathname}` }, 404);
  });
  return calls;
}

/** Enough reference data for the commitment screens. */
export const REFERENCE: Routes = {
  "GET /api/v1/reference/areas": () =>
    json([
      { code: "procedures", parent_code: null, label_en: "Procedures", label_fr: "Procédures", label_es: "Procedimientos", sort_order: 1, is_asylum_system: true, is_retired: false },
      { code: "procedures.coi", parent_code: "procedures", label_en: "Country of origin information", label_fr: "Informations sur les pays d'origine", label_es: "Información sobre países de origen", sort_order: 2, is_asylum_system: true, is_retired: false },
      { code: "procedures.registration", parent_code: "procedures", label_en: "Registration and documentation", label_fr: "Enregistrement", label_es: "Registro", sort_order: 3, is_asylum_system: true, is_retired: false },
    ]),
  "GET /api/v1/reference/vocabularies": () =>
    json([
      { vocabulary: "modalities", code: "training", label_en: "Training", label_fr: "Formation", label_es: "Formación", sort_order: 1, is_retired: false },
      { vocabulary: "support_types", code: "technical", label_en: "Technical", label_fr: "Technique", label_es: "Técnico", sort_order: 1, is_retired: false },
      { vocabulary: "qualities", code: "fairness", label_en: "Fairness", label_fr: "Équité", label_es: "Equidad", sort_order: 1, is_retired: false },
      { vocabulary: "languages", code: "fr", label_en: "French", label_fr: "Français", label_es: "Francés", sort_order: 1, is_retired: false },
    ]),
  "GET /api/v1/reference/countries": () => json([]),
  "GET /api/v1/reference/regions": () => json([]),
  "GET /api/v1/reference/bureaux": () => json([]),
  "GET /api/v1/organisations": () => json({ items: [], next_cursor: null, total: 0 }),
  "GET /api/v1/pledges": () => json({ items: [], next_cursor: null, total: 0 }),
};

export const NIGER_FOCAL_POINT = {
  id: "u1",
  email: "niger@acsg.demo",
  full_name: "Moussa",
  preferred_language: "en",
  is_secretariat: false,
  is_unhcr: false,
  unhcr_countries: [],
  memberships: [
    { organisation_id: "org-ner", organisation_name: "DGEC-M/R", organisation_kind: "state_institution", role: "focal_point", country_iso3: "NER" },
  ],
};
