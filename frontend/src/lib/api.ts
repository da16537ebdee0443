// The one place that configures the generated client: same-origin base URL, cookies, the CSRF header on
// writes, and what a 401 means (the session ended: forget who we were).
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "@/client/schema";

export type Schemas = components["schemas"];
export type ErrorEnvelope = Schemas["ErrorEnvelope"];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function readCookie(name: string): string | undefined {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(";")) {
    const trimmed = part.trim();
    if (trimmed.startsWith(prefix)) return decodeURIComponent(trimmed.slice(prefix.length));
  }
  return undefined;
}

let onUnauthorized: () => void = () => undefined;

/** Registered by the app shell: called when the server says the session is gone. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) {
      const token = readCookie("acsg_csrf");
      if (token) request.headers.set("X-CSRF-Token", token);
    }
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.includes("/auth/sign-in")) onUnauthorized();
    return response;
  },
};

// Absolute same-origin URL: the SPA is always served by the API it talks to.
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? "",
  credentials: "same-origin",
  // Looked up on each call (not captured once), so tests can stub fetch.
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(csrf);

/** An error response from the API, with the envelope's code, text and field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: { field: string; message: string }[];

  constructor(status: number, envelope: Partial<ErrorEnvelope> | undefined) {
    super(envelope?.detail ?? `Request failed (${status})`);
    this.status = status;
    this.code = envelope?.error ?? "Error";
    this.fields = (envelope?.fields ?? []).map((f) => ({ field: f.field, message: f.message }));
  }

  /** Field errors keyed by the body field name (`body.components.0.area_code` -> `components.0.area_code`). */
  fieldMap(): Record<string, string> {
    const map: Record<string, string> = {};
    for (const f of this.fields) map[f.field.replace(/^(body|query|path)\./, "")] = f.message;
    return map;
  }
}

/** Unwrap an openapi-fetch result: the data, or an ApiError carrying the server's envelope. */
export async function unwrap<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) throw new ApiError(response.status, error as Partial<ErrorEnvelope> | undefined);
  return data as T;
}
