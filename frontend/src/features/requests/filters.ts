import type { paths } from "@/client/schema";
import { type FilterSpec, type FilterValues, toApiQuery } from "@/lib/listFilters";
import type { FilterField } from "@/components/ListFilters";

/** The requests list's URL parameters (and API query parameters of the same names). */
export const REQUEST_FILTERS: FilterSpec = {
  q: "single",
  status: "multi",
  country: "single",
  region: "single",
  bureau: "single",
  area: "single",
  support_type: "single",
  modality: "single",
  language: "single",
  urgency: "single",
  is_establishing_system: "boolean",
  pledge_source_event: "single",
  sort: "single",
};

export const REQUEST_FILTER_FIELDS: FilterField[] = [
  "status",
  "country",
  "region",
  "bureau",
  "area",
  "support_type",
  "modality",
  "language",
  "urgency",
  "is_establishing_system",
  "pledge_source_event",
];

export const REQUEST_SORTS = ["-updated_at", "updated_at", "-submitted_at", "title", "-title", "reference", "-reference"] as const;

export type RequestQuery = NonNullable<paths["/api/v1/support-requests"]["get"]["parameters"]["query"]>;

/**
 * The API query for the list's filters. Values come from the URL, so they are only as typed as a URL is:
 * the server checks them (an unknown status or code is a 422 shown above the list).
 */
export function requestQuery(values: FilterValues): RequestQuery {
  return toApiQuery(values, REQUEST_FILTERS) as RequestQuery;
}
