// The portal reads the API as the public does: no cookies, so every visitor (signed in or not) sees exactly
// the published view of a match, and a signed-in facilitator never mistakes an unpublished match for a public one.
import createClient from "openapi-fetch";
import type { paths } from "@/client/schema";

export const publicApi = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? "",
  credentials: "omit",
  // Looked up on each call (not captured once), so tests can stub fetch.
  fetch: (request: Request) => globalThis.fetch(request),
});
