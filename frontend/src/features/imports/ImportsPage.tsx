// The imports page: choose a kind, download its template, check a file (dry run: the row report), then import
// it (all or nothing, or valid rows only); large files run in the background with progress. Below, my recent
// imports. Who may import which kind is the API's decision (`may_import` of /imports/kinds).
import { Alert, Anchor, Button, Card, FileInput, Group, Radio, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconDownload, IconFileSpreadsheet, IconUpload } from "@tabler/icons-react";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { ApiError } from "@/lib/api";
import { formatDateTime, formatNumber } from "@/lib/format";
import { useImportJob, useImportJobs, useImportKinds, useUploadImport } from "./api";
import { JobPanel, JobStatusBadge } from "./JobPanel";
import {
  ACCEPT,
  confirmChoice,
  countsOf,
  exportUrl,
  FILE_FORMATS,
  type ImportMode,
  isActive,
  TEMPLATE_LANGUAGES,
  type TemplateLanguage,
  templateUrl,
} from "./logic";
import { ScrollTable } from "@/components/ScrollTable";

function languageOf(language: string): TemplateLanguage {
  const short = language.slice(0, 2);
  return (TEMPLATE_LANGUAGES as readonly string[]).includes(short) ? (short as TemplateLanguage) : "en";
}

/** Field errors of the upload's envelope placed on the inputs; anything else shown above the form. */
function uploadErrors(error: unknown): { file?: string; source?: string; other: unknown } {
  if (!(error instanceof ApiError)) return { other: error };
  const map = error.fieldMap();
  const file = map.file;
  const source = map.source;
  const unplaced = Object.keys(map).filter((key) => key !== "file" && key !== "source");
  return { file, source, other: file || source ? (unplaced.length ? error : null) : error };
}

function TemplateLinks({ kind, language }: { kind: string; language: TemplateLanguage }) {
  const { t } = useTranslation();
  return (
    <Group gap="md" data-testid="template-links">
      {FILE_FORMATS.map((format) => (
        <Anchor key={format} href={templateUrl(kind, format, language)} download size="sm">
          <IconDownload size={14} aria-hidden style={{ verticalAlign: "middle", marginInlineEnd: 4 }} />
          {t(`imports.template.${format}`)}
        </Anchor>
      ))}
    </Group>
  );
}

function RecentJobs() {
  const { t, i18n } = useTranslation();
  const jobs = useImportJobs(20);
  if (jobs.isLoading) return <Loading />;
  if (jobs.isError) return <ErrorAlert error={jobs.error} onRetry={() => void jobs.refetch()} />;
  const rows = jobs.data ?? [];
  if (rows.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        {t("imports.recent.none")}
      </Text>
    );
  }
  return (
    <ScrollTable minWidth={760} label={t("imports.recent.title")}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid="recent-jobs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("imports.recent.when")}</Table.Th>
            <Table.Th scope="col">{t("imports.recent.kind")}</Table.Th>
            <Table.Th scope="col">{t("imports.recent.file")}</Table.Th>
            <Table.Th scope="col">{t("imports.recent.type")}</Table.Th>
            <Table.Th scope="col">{t("imports.recent.status")}</Table.Th>
            <Table.Th scope="col">{t("imports.recent.outcome")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((job) => {
            const counts = countsOf(job);
            return (
              <Table.Tr key={job.id} data-testid="recent-job">
                <Table.Td>
                  <Anchor component={Link} to={`/imports/jobs/${job.id}`} size="sm">
                    {formatDateTime(job.created_at, i18n.language)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`imports.kinds.${job.kind}`, { defaultValue: job.kind })}</Table.Td>
                <Table.Td style={{ overflowWrap: "break-word" }}>{job.filename ?? "—"}</Table.Td>
                <Table.Td>{job.dry_run ? t("imports.job.dryRun") : t("imports.job.import")}</Table.Td>
                <Table.Td>
                  <JobStatusBadge job={job} />
                </Table.Td>
                <Table.Td>
                  {isActive(job.status)
                    ? t("imports.job.rowsDone", {
                        done: formatNumber(job.rows_done, i18n.language),
                        total: formatNumber(job.rows_total ?? 0, i18n.language),
                      })
                    : t("imports.recent.summary", {
                        rows: formatNumber(counts.rows, i18n.language),
                        created: formatNumber(counts.created, i18n.language),
                        updated: formatNumber(counts.updated, i18n.language),
                        unchanged: formatNumber(counts.unchanged, i18n.language),
                        rejected: formatNumber(counts.rejected, i18n.language),
                      })}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

export function ImportsPage() {
  const { t, i18n } = useTranslation();
  const kinds = useImportKinds();
  const importable = useMemo(() => (kinds.data ?? []).filter((k) => k.may_import), [kinds.data]);
  const [kind, setKind] = useState<string | null>(null);
  const [language, setLanguage] = useState<TemplateLanguage>(() => languageOf(i18n.language));
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState("");
  // None: the default for the dry run's outcome (valid rows only when it found errors).
  const [chosenMode, setMode] = useState<ImportMode | null>(null);
  const [checkId, setCheckId] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const upload = useUploadImport();
  const check = useImportJob(checkId);
  const run = useImportJob(runId);

  useEffect(() => {
    if (kind === null && importable[0]) setKind(importable[0].name);
  }, [importable, kind]);

  const checked = check.data && !isActive(check.data.status) ? check.data : null;
  const choice = checked ? confirmChoice(checked) : null;
  const mode: ImportMode = chosenMode ?? choice?.defaultMode ?? "all_or_nothing";

  const restart = () => {
    upload.reset();
    setCheckId(null);
    setRunId(null);
    setMode(null);
  };
  const chooseKind = (value: string | null) => {
    setKind(value);
    restart();
  };
  const chooseFile = (value: File | null) => {
    setFile(value);
    restart();
  };
  const dryRun = () => {
    if (!kind || !file) return;
    restart();
    upload.mutate(
      { kind, file, dryRun: true, mode: "all_or_nothing", source },
      { onSuccess: (job) => setCheckId(job.id) },
    );
  };
  const importFile = () => {
    if (!kind || !file) return;
    upload.mutate({ kind, file, dryRun: false, mode, source }, { onSuccess: (job) => setRunId(job.id) });
  };
  const errors = upload.isError ? uploadErrors(upload.error) : null;
  const kindTitle = (name: string, fallback: string) => t(`imports.kinds.${name}`, { defaultValue: fallback });

  return (
    <Stack gap="lg">
      <PageHeader title={t("imports.title")} description={t("imports.description")} />
      {kinds.isLoading && <Loading />}
      {kinds.isError && <ErrorAlert error={kinds.error} onRetry={() => void kinds.refetch()} />}
      {kinds.isSuccess && importable.length === 0 && (
        <Alert color="gray" data-testid="no-kinds">
          {t("imports.noKinds")}
        </Alert>
      )}
      {importable.length > 0 && (
        <>
          <Card withBorder component="section" aria-labelledby="imports-step-template">
            <Stack gap="sm">
              <Title order={2} size="h4" id="imports-step-template">
                {t("imports.steps.template")}
              </Title>
              <Group align="flex-end" gap="md">
                <Select
                  label={t("imports.kind")}
                  data={importable.map((k) => ({ value: k.name, label: kindTitle(k.name, k.title) }))}
                  value={kind}
                  onChange={chooseKind}
                  allowDeselect={false}
                  w={260}
                />
                <Select
                  label={t("imports.template.language")}
                  data={TEMPLATE_LANGUAGES.map((l) => ({ value: l, label: t(`imports.languages.${l}`) }))}
                  value={language}
                  onChange={(value) => value && setLanguage(value as TemplateLanguage)}
                  allowDeselect={false}
                  w={180}
                />
              </Group>
              {kind && (
                <>
                  <Text size="sm">{t("imports.template.help")}</Text>
                  <TemplateLinks kind={kind} language={language} />
                  <Text size="sm" c="dimmed">
                    {t("imports.export.help")}{" "}
                    <Anchor href={exportUrl(kind, "xlsx", language)} download size="sm" underline="always">
                      {t("imports.export.xlsx")}
                    </Anchor>
                    {" · "}
                    <Anchor href={exportUrl(kind, "csv", language)} download size="sm" underline="always">
                      {t("imports.export.csv")}
                    </Anchor>
                  </Text>
                </>
              )}
            </Stack>
          </Card>

          <Card withBorder component="section" aria-labelledby="imports-step-check">
            <Stack gap="sm">
              <Title order={2} size="h4" id="imports-step-check">
                {t("imports.steps.check")}
              </Title>
              <Group align="flex-start" gap="md">
                <FileInput
                  label={t("imports.file")}
                  description={t("imports.fileHelp")}
                  placeholder={t("imports.filePlaceholder")}
                  // Mantine's placeholder grey is below 4.5:1 on white.
                  styles={{ placeholder: { color: "var(--mantine-color-dimmed)" } }}
                  accept={ACCEPT}
                  value={file}
                  onChange={chooseFile}
                  clearable
                  clearButtonProps={{ "aria-label": t("imports.clearFile") }}
                  leftSection={<IconFileSpreadsheet size={16} aria-hidden />}
                  error={errors?.file}
                  w={360}
                  data-testid="import-file"
                />
                <TextInput
                  label={t("imports.source")}
                  description={t("imports.sourceHelp")}
                  value={source}
                  onChange={(event) => {
                    setSource(event.currentTarget.value);
                    restart();
                  }}
                  error={errors?.source}
                  maxLength={64}
                  w={260}
                />
              </Group>
              <Group>
                <Button
                  leftSection={<IconUpload size={16} aria-hidden />}
                  onClick={dryRun}
                  disabled={!kind || !file}
                  loading={upload.isPending && upload.variables?.dryRun}
                >
                  {t("imports.checkButton")}
                </Button>
              </Group>
              {errors?.other ? <ErrorAlert error={errors.other} /> : null}
              {check.isError && <ErrorAlert error={check.error} onRetry={() => void check.refetch()} />}
              {check.data && <JobPanel job={check.data} compact={runId !== null} />}
            </Stack>
          </Card>

          {checked && choice && (
            <Card withBorder component="section" aria-labelledby="imports-step-import">
              <Stack gap="sm">
                <Title order={2} size="h4" id="imports-step-import">
                  {t("imports.steps.import")}
                </Title>
                {!choice.possible ? (
                  <Alert color="gray" data-testid="nothing-to-import">
                    {t("imports.confirm.nothing")}
                  </Alert>
                ) : runId === null || upload.isPending ? (
                  <>
                    <Radio.Group
                      label={t("imports.confirm.mode")}
                      value={mode}
                      onChange={(value) => setMode(value as ImportMode)}
                    >
                      <Stack gap={6} mt={6}>
                        <Radio
                          value="all_or_nothing"
                          label={t("imports.modes.all_or_nothing")}
                          description={t("imports.confirm.allOrNothingHelp")}
                        />
                        <Radio
                          value="valid_rows_only"
                          label={t("imports.modes.valid_rows_only")}
                          description={t("imports.confirm.validRowsHelp")}
                        />
                      </Stack>
                    </Radio.Group>
                    {choice.hasErrors && mode === "all_or_nothing" && (
                      <Alert color="orange">{t("imports.confirm.allOrNothingWillFail")}</Alert>
                    )}
                    <Group>
                      <Button onClick={importFile} loading={upload.isPending && upload.variables?.dryRun === false}>
                        {t("imports.confirm.button", {
                          count: choice.importable,
                        })}
                      </Button>
                    </Group>
                  </>
                ) : null}
                {run.isError && <ErrorAlert error={run.error} onRetry={() => void run.refetch()} />}
                {run.data && <JobPanel job={run.data} />}
                {run.data && !isActive(run.data.status) && (
                  <Group>
                    <Button
                      variant="light"
                      onClick={() => {
                        setFile(null);
                        restart();
                      }}
                    >
                      {t("imports.another")}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Card>
          )}
        </>
      )}

      <Stack gap="xs" component="section" aria-labelledby="imports-recent">
        <Title order={2} size="h4" id="imports-recent">
          {t("imports.recent.title")}
        </Title>
        <RecentJobs />
      </Stack>
    </Stack>
  );
}
