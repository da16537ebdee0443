// One import job on its own page (linked from the recent imports): polled while it runs.
import { Anchor, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { useImportJob } from "./api";
import { JobPanel } from "./JobPanel";

export function JobPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const job = useImportJob(id);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/imports" size="sm">
        {t("imports.back")}
      </Anchor>
      <PageHeader title={job.data?.dry_run ? t("imports.job.dryRunTitle") : t("imports.job.title")} />
      {job.isLoading && <Loading />}
      {job.isError && <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />}
      {job.data && <JobPanel job={job.data} />}
    </Stack>
  );
}
