// Progress reports on the client: queries and the writes (save with If-Match, workflow actions, schedules).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, type Schemas, unwrap } from "@/lib/api";
import { unwrapWithETag } from "@/lib/commitments";
import type { ReportUpdate } from "./reportDraft";
import type { Report, ReportAction, ReportStatus, TrafficLightValue } from "./reportState";

export const REPORTS_KEY = ["reports"] as const;
export type ReportWithTag = { data: Report; etag: string | null };

/** The ETag of a report as the API writes it (`"<id>:<version>"`), for a report read from a list. */
export function reportETag(report: Pick<Report, "id" | "version">): string {
  return `"${report.id}:${report.version}"`;
}

export function useReport(id: string) {
  return useQuery({
    queryKey: [...REPORTS_KEY, "detail", id],
    queryFn: () => unwrapWithETag(api.GET("/api/v1/reports/{report_id}", { params: { path: { report_id: id } } })),
  });
}

export function useRevisions(id: string, enabled = true) {
  return useQuery({
    queryKey: [...REPORTS_KEY, "revisions", id],
    queryFn: () => unwrap(api.GET("/api/v1/reports/{report_id}/revisions", { params: { path: { report_id: id } } })),
    enabled,
  });
}

export function useMatchReporting(matchId: string) {
  return useQuery({
    queryKey: [...REPORTS_KEY, "match", matchId],
    queryFn: () => unwrap(api.GET("/api/v1/matches/{match_id}/reporting", { params: { path: { match_id: matchId } } })),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function usePledgeReporting(pledgeId: string, enabled = true) {
  return useQuery({
    queryKey: [...REPORTS_KEY, "pledge", pledgeId],
    queryFn: () => unwrap(api.GET("/api/v1/pledges/{pledge_id}/reporting", { params: { path: { pledge_id: pledgeId } } })),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    enabled,
  });
}

export const LIST_LIMIT = 500;

export function useReportsList(statuses: ReportStatus[], light: TrafficLightValue | undefined) {
  return useQuery({
    queryKey: [...REPORTS_KEY, "list", statuses, light ?? null],
    queryFn: () =>
      unwrap(api.GET("/api/v1/reports", { params: { query: { status: statuses.length ? statuses : undefined, traffic_light: light, limit: LIST_LIMIT } } })),
  });
}

/** Save the draft: PATCH with the version it was read at (If-Match); a 412 means someone saved in between. */
export function useSaveReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, etag, body }: { id: string; etag: string | null; body: ReportUpdate }): Promise<ReportWithTag> =>
      unwrapWithETag(api.PATCH("/api/v1/reports/{report_id}", { params: { path: { report_id: id }, header: { "If-Match": etag ?? undefined } }, body })),
    onSuccess: (result) => {
      client.setQueryData([...REPORTS_KEY, "detail", result.data.id], result);
    },
  });
}

export type ActionBody = Schemas["ReportAction"];

/** Submit, attest, accept, send back, publish or unpublish; every cached report and schedule is refreshed. */
export function useReportAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body, etag }: { id: string; action: ReportAction; body?: ActionBody; etag?: string | null }): Promise<ReportWithTag> => {
      if (action === "become_due" || action === "become_overdue") throw new Error(`${action} is the calendar's`);
      return unwrapWithETag(
        api.POST("/api/v1/reports/{report_id}/actions/{action}", {
          params: { path: { report_id: id, action }, header: etag ? { "If-Match": etag } : {} },
          body: body ?? {},
        }),
      );
    },
    onSuccess: (result) => {
      client.setQueryData([...REPORTS_KEY, "detail", result.data.id], result);
    },
    onSettled: () => client.invalidateQueries({ queryKey: REPORTS_KEY }),
  });
}

export function useSetMatchSchedule(matchId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ScheduleUpdate"]) =>
      unwrap(api.PUT("/api/v1/matches/{match_id}/reporting-schedule", { params: { path: { match_id: matchId } }, body })),
    onSuccess: (reporting) => client.setQueryData([...REPORTS_KEY, "match", matchId], reporting),
    onSettled: () => client.invalidateQueries({ queryKey: REPORTS_KEY }),
  });
}

export function useStartPledgeReporting(pledgeId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ScheduleUpdate"]) =>
      unwrap(api.POST("/api/v1/pledges/{pledge_id}/reporting", { params: { path: { pledge_id: pledgeId } }, body })),
    onSuccess: (reporting) => client.setQueryData([...REPORTS_KEY, "pledge", pledgeId], reporting),
    onSettled: () => client.invalidateQueries({ queryKey: REPORTS_KEY }),
  });
}
