import { Alert, Button, Card, Group, List, Select, Stack, Text, Textarea, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDeviceFloppy, IconSend } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "@/lib/api";
import { isStale } from "@/lib/commitments";
import { clientValidationError, fieldError, rowErrorsByKey, unplacedErrors } from "@/lib/fieldErrors";
import { REPORTS_KEY, useReportAction, useSaveReport } from "./api";
import { ImpactEditor, LinksEditor } from "./ContentEditors";
import { IndicatorsEditor } from "./IndicatorsEditor";
import {
  isDirty,
  type ReportDraft,
  sentIndicatorKeys,
  sentLinkKeys,
  STAGES,
  type Stage,
  toDraft,
  toUpdate,
  validateDraft,
} from "./reportDraft";
import type { Report } from "./reportState";

const TEXT_MAX = 20_000;
const PLACED = ["stage", "narrative", "challenges", "good_practices", "next_steps", "impact", "indicators", "links"];

function Part({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section">
      <Title order={2} size="h4" mb={description ? 2 : "sm"}>
        {title}
      </Title>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      {children}
    </Card>
  );
}

/**
 * The offering party's draft of a report: saved with the version it was read at (If-Match), then submitted
 * to the requesting party for attestation. A sent-back report comes back here to be revised.
 */
export function ReportForm({ report, etag, canSubmit }: { report: Report; etag: string | null; canSubmit: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const save = useSaveReport();
  const act = useReportAction();
  const [draft, setDraft] = useState<ReportDraft>(() => toDraft(report));
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<{ indicators: string[]; links: string[] }>({ indicators: [], links: [] });
  const dirty = useMemo(() => isDirty(draft, report), [draft, report]);

  // A newer version read from the server replaces the form, unless the user has changes of their own.
  const [version, setVersion] = useState(report.version);
  useEffect(() => {
    if (report.version === version) return;
    setVersion(report.version);
    if (!dirty) setDraft(toDraft(report));
  }, [report, version, dirty]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const map = error instanceof ApiError ? error.fieldMap() : {};
  const indicatorErrors = rowErrorsByKey(map, "indicators", sent.indicators);
  const linkErrors = rowErrorsByKey(map, "links", sent.links);
  const unplaced = unplacedErrors(map, PLACED);
  const set = <K extends keyof ReportDraft>(key: K, value: ReportDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  async function persist(): Promise<{ etag: string | null } | null> {
    setSent({ indicators: sentIndicatorKeys(draft), links: sentLinkKeys(draft) });
    const invalid = clientValidationError(
      validateDraft(draft, {
        required: t("app.required"),
        notANumber: t("reports.form.notANumber"),
        url: t("reports.form.badUrl"),
        ratingForEvidence: t("reports.form.ratingForEvidence"),
      }),
    );
    if (invalid) {
      setError(invalid);
      return null;
    }
    try {
      const result = await save.mutateAsync({ id: report.id, etag, body: toUpdate(draft) });
      setError(null);
      return result;
    } catch (caught) {
      setError(caught);
      return null;
    }
  }

  async function onSave() {
    if (await persist()) notifications.show({ color: "teal", message: t("reports.form.savedNote") });
  }

  async function onSubmit() {
    let tag = etag;
    if (dirty) {
      const saved = await persist();
      if (!saved) return;
      tag = saved.etag;
    }
    try {
      await act.mutateAsync({ id: report.id, action: "submit", etag: tag });
      setError(null);
      notifications.show({ color: "teal", message: t("reports.form.submittedNote") });
    } catch (caught) {
      setError(caught);
    }
  }

  const busy = save.isPending || act.isPending;
  return (
    <Stack gap="md" data-testid="report-form">
      {error !== null && isStale(error) && (
        <Alert color="orange" title={t("reports.form.staleTitle")} role="alert">
          <Text size="sm" mb="xs">
            {t("reports.form.stale")}
          </Text>
          <Button
            size="xs"
            variant="light"
            color="orange"
            onClick={() => {
              // Drop the changes, then read the newer version (it replaces the form, which is no longer dirty).
              setError(null);
              setDraft(toDraft(report));
              void client.invalidateQueries({ queryKey: [...REPORTS_KEY, "detail", report.id] });
            }}
          >
            {t("reports.form.reload")}
          </Button>
        </Alert>
      )}
      {error !== null && !isStale(error) && (
        <Alert color="red" title={t("reports.form.problemsTitle")} role="alert">
          <Text size="sm">{error instanceof ApiError && error.fields.length > 0 ? t("reports.form.problems") : error instanceof Error ? error.message : String(error)}</Text>
          {unplaced.length > 0 && (
            <List size="sm" mt="xs">
              {unplaced.map((e) => (
                <List.Item key={e.field}>
                  {e.field}: {e.message}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      <Part title={t("reports.form.progressTitle")} description={t("reports.form.progressHint")}>
        <Stack gap="sm">
          <Select
            label={t("reports.fields.stage")}
            data={[{ value: "", label: t("reports.view.noStage") }, ...STAGES.map((s) => ({ value: s, label: t(`reports.stages.${s}`) }))]}
            value={draft.stage ?? ""}
            onChange={(value) => set("stage", (value || null) as Stage | null)}
            allowDeselect={false}
            error={fieldError(map, "stage")}
            maw={320}
            comboboxProps={{ withinPortal: true }}
          />
          <Textarea
            label={t("reports.fields.narrative")}
            description={t("reports.form.narrativeHint")}
            withAsterisk
            value={draft.narrative}
            onChange={(e) => set("narrative", e.currentTarget.value)}
            error={fieldError(map, "narrative")}
            autosize
            minRows={4}
            maxRows={16}
            maxLength={TEXT_MAX}
          />
          <Textarea
            label={t("reports.fields.challenges")}
            value={draft.challenges}
            onChange={(e) => set("challenges", e.currentTarget.value)}
            error={fieldError(map, "challenges")}
            autosize
            minRows={3}
            maxRows={12}
            maxLength={TEXT_MAX}
          />
          <Textarea
            label={t("reports.fields.goodPractices")}
            description={t("reports.form.goodPracticesHint")}
            value={draft.good_practices}
            onChange={(e) => set("good_practices", e.currentTarget.value)}
            error={fieldError(map, "good_practices")}
            autosize
            minRows={3}
            maxRows={12}
            maxLength={TEXT_MAX}
          />
        </Stack>
      </Part>
      <Part title={t("reports.fields.impact")} description={t("reports.form.impactHint")}>
        <ImpactEditor impact={draft.impact} onChange={(impact) => set("impact", impact)} errors={map} />
      </Part>
      <Part title={t("reports.fields.indicators")} description={t("reports.form.indicatorsHint")}>
        <IndicatorsEditor rows={draft.indicators} onChange={(rows) => set("indicators", rows)} errors={indicatorErrors} />
      </Part>
      <Part title={t("reports.fields.links")} description={t("reports.form.linksHint")}>
        <LinksEditor rows={draft.links} onChange={(rows) => set("links", rows)} errors={linkErrors} />
      </Part>
      <Part title={t("reports.fields.nextSteps")}>
        <Textarea
          label={t("reports.fields.nextSteps")}
          value={draft.next_steps}
          onChange={(e) => set("next_steps", e.currentTarget.value)}
          error={fieldError(map, "next_steps")}
          autosize
          minRows={3}
          maxRows={12}
          maxLength={TEXT_MAX}
        />
      </Part>
      <Card withBorder padding="md" style={{ position: "sticky", bottom: 0, zIndex: 3 }}>
        <Group justify="space-between" wrap="wrap">
          <Text size="sm" c={dirty ? "orange.9" : "dimmed"} role="status" aria-live="polite">
            {dirty ? t("reports.form.unsaved") : t("reports.form.allSaved")}
          </Text>
          <Group gap="sm">
            <Button variant="default" leftSection={<IconDeviceFloppy size={16} aria-hidden />} onClick={() => void onSave()} loading={save.isPending} disabled={busy || !dirty}>
              {t("reports.form.save")}
            </Button>
            {canSubmit && (
              <Button leftSection={<IconSend size={16} aria-hidden />} onClick={() => void onSubmit()} loading={act.isPending} disabled={busy}>
                {t("reports.form.submit")}
              </Button>
            )}
          </Group>
        </Group>
      </Card>
    </Stack>
  );
}
