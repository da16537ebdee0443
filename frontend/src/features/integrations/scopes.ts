// The scopes a client may be given, in the order the admin screens list them. Kept in step with the API's
// `Scope` enum by the type checks below: adding a scope to the API fails `tsc` until it is listed here.
import type { Schemas } from "@/lib/api";

export type Scope = Schemas["ClientCreate"]["scopes"][number];

export const SCOPES = [
  "pledges:read",
  "pledges:write",
  "requests:read",
  "offers:read",
  "existing_support:read",
  "matches:read",
  "reports:read",
  "knowledge:read",
  "changes:read",
  "webhooks:manage",
  "imports:write",
] as const satisfies readonly Scope[];

type Missing = Exclude<Scope, (typeof SCOPES)[number]>;
// Fails to compile when the API has a scope this list lacks.
const everyScopeListed: Missing extends never ? true : Missing = true;
void everyScopeListed;

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
