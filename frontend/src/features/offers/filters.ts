import type { paths } from "@/client/schema";
import type { FilterField } from "@/components/ListFilters";
import { type FilterSpec, type FilterValues, toApiQuery } from "@/lib/listFilters";

/** The offers list's URL parameters (and API query parameters of the same names). */
export const OFFER_FILTERS: FilterSpec = {
  q: "single",
  status: "multi",
  country: "single",
  serves_country: "single",
  region: "single",
  bureau: "single",
  area: "single",
  support_type: "single",
  modality: "single",
  language: "single",
  contributor_type: "single",
  pledge_source_event: "single",
  sort: "single",
};

export const OFFER_FILTER_FIELDS: FilterField[] = [
  "status",
  "serves_country",
  "country",
  "region",
  "bureau",
  "area",
  "support_type",
  "modality",
  "language",
  "contributor_type",
  "pledge_source_event",
];

export const OFFER_SORTS = ["-updated_at", "updated_at", "-submitted_at", "title", "-title", "reference", "-reference"] as const;

export type OfferQuery = NonNullable<paths["/api/v1/support-offers"]["get"]["parameters"]["query"]>;

/** The API query for the list's filters (values from the URL are checked by the server). */
export function offerQuery(values: FilterValues): OfferQuery {
  return toApiQuery(values, OFFER_FILTERS) as OfferQuery;
}
