import type { paths } from "@/client/schema";
import type { FilterField } from "@/components/ListFilters";
import { type FilterSpec, type FilterValues, toApiQuery } from "@/lib/listFilters";

/** The pledges list's URL parameters (and API query parameters of the same names). */
export const PLEDGE_FILTERS: FilterSpec = {
  q: "single",
  source_event: "single",
  stage: "single",
  area: "single",
  country: "single",
  region: "single",
  contributor_type: "single",
};

export const PLEDGE_FILTER_FIELDS: FilterField[] = ["source_event", "stage", "area", "country", "region", "contributor_type"];

export type PledgeQuery = NonNullable<paths["/api/v1/pledges"]["get"]["parameters"]["query"]>;

export function pledgeQuery(values: FilterValues): PledgeQuery {
  return toApiQuery(values, PLEDGE_FILTERS) as PledgeQuery;
}

export const STAGE_COLORS = { planning: "blue", in_progress: "orange", fulfilled: "green" } as const;
