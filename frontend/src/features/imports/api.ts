// The imports endpoints (/api/v1/imports/*) as queries and mutations.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, unwrap } from "@/lib/api";
import { type ImportJob, type ImportMode, isActive } from "./logic";

const POLL_MS = 1_000;

export function useImportKinds() {
  return useQuery({
    queryKey: ["imports", "kinds"],
    queryFn: () => unwrap(api.GET("/api/v1/imports/kinds")),
    staleTime: 5 * 60_000,
  });
}

export function useImportJobs(limit = 20) {
  return useQuery({
    queryKey: ["imports", "jobs", limit],
    queryFn: () => unwrap(api.GET("/api/v1/imports/jobs", { params: { query: { limit } } })),
  });
}

/** One job; polled while it is queued or running. */
export function useImportJob(jobId: string | null | undefined, initial?: ImportJob) {
  return useQuery({
    queryKey: ["imports", "job", jobId],
    queryFn: () => unwrap(api.GET("/api/v1/imports/jobs/{job_id}", { params: { path: { job_id: jobId ?? "" } } })),
    enabled: Boolean(jobId),
    initialData: initial && initial.id === jobId ? initial : undefined,
    // A finished job given by the upload's answer needs no fetch; a queued one is fetched at once.
    staleTime: (query) => (query.state.data && !isActive(query.state.data.status) ? Infinity : 0),
    refetchInterval: (query) => (query.state.data && !isActive(query.state.data.status) ? false : POLL_MS),
  });
}

export type UploadInput = { kind: string; file: File; dryRun: boolean; mode: ImportMode; source: string };

async function uploadImport(input: UploadInput): Promise<ImportJob> {
  const form = new FormData();
  form.append("file", input.file, input.file.name);
  form.append("dry_run", input.dryRun ? "true" : "false");
  form.append("mode", input.mode);
  if (input.source.trim()) form.append("source", input.source.trim());
  // The typed body describes the multipart fields; the browser sets the content type and boundary.
  return unwrap(
    api.POST("/api/v1/imports/{kind}", {
      params: { path: { kind: input.kind } },
      body: form as never,
      bodySerializer: (body: unknown) => body as FormData,
    }),
  );
}

export function useUploadImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: uploadImport,
    onSuccess: (job) => {
      client.setQueryData(["imports", "job", job.id], job);
      void client.invalidateQueries({ queryKey: ["imports", "jobs"] });
    },
  });
}

export function useCancelImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) =>
      unwrap(api.POST("/api/v1/imports/jobs/{job_id}/cancel", { params: { path: { job_id: jobId } } })),
    onSuccess: (job) => {
      client.setQueryData(["imports", "job", job.id], job);
      void client.invalidateQueries({ queryKey: ["imports", "jobs"] });
    },
    onError: (error, jobId) => {
      // The job finished meanwhile (409): show what it became.
      if (error instanceof ApiError && error.status === 409) void client.invalidateQueries({ queryKey: ["imports", "job", jobId] });
    },
  });
}
