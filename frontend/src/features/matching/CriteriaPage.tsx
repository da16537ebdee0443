import { Alert, Badge, Button, Card, Group, List, NumberInput, SimpleGrid, Stack, Switch, Table, Text, Textarea, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { PageHeader } from "@/components/PageHeader";
import { useConstraintName, useCriterionName } from "@/components/matching/ContributionBar";
import { formatScore, HARD_CONSTRAINTS, SCORED_CRITERIA } from "@/components/matching/criteria";
import { ApiError } from "@/lib/api";
import { unplacedErrors } from "@/lib/fieldErrors";
import { formatDateTime } from "@/lib/format";
import { type Criteria, useActiveCriteria, useCriteriaVersions, useSaveCriteria } from "./api";
import { waitingContribution } from "./logic";
import { MatchingNav } from "./MatchingNav";
import { READABLE_ERRORS } from "@/components/matching/a11y";

type Draft = {
  hard: Record<string, boolean>;
  weights: Record<string, number | string>;
  cross_regional_bonus: number | string;
  duplication_penalty: number | string;
  waiting_full_days: number | string;
  note: string;
};

function draftOf(c: Criteria): Draft {
  return {
    hard: Object.fromEntries(HARD_CONSTRAINTS.map((h) => [h, c.hard[h] ?? true])),
    weights: Object.fromEntries(SCORED_CRITERIA.map((w) => [w, c.weights[w] ?? 0])),
    cross_regional_bonus: c.cross_regional_bonus,
    duplication_penalty: c.duplication_penalty,
    waiting_full_days: c.waiting_full_days,
    note: "",
  };
}

const num = (v: number | string) => (typeof v === "number" ? v : Number(v) || 0);
const WAIT_EXAMPLES = [30, 90, 180, 365, 730];

/** What changed from one version to the next, in words. */
export function criteriaChanges(previous: Criteria | undefined, current: Criteria): { key: string; before: string; after: string }[] {
  if (!previous) return [];
  const changes: { key: string; before: string; after: string }[] = [];
  for (const h of HARD_CONSTRAINTS) {
    const a = previous.hard[h] ?? true;
    const b = current.hard[h] ?? true;
    if (a !== b) changes.push({ key: `hard.${h}`, before: String(a), after: String(b) });
  }
  for (const w of SCORED_CRITERIA) {
    const a = previous.weights[w] ?? 0;
    const b = current.weights[w] ?? 0;
    if (a !== b) changes.push({ key: `weights.${w}`, before: String(a), after: String(b) });
  }
  for (const k of ["cross_regional_bonus", "duplication_penalty", "waiting_full_days"] as const) {
    if (previous[k] !== current[k]) changes.push({ key: k, before: String(previous[k]), after: String(current[k]) });
  }
  return changes;
}

function VersionDetails({ version, previous }: { version: Criteria; previous?: Criteria }) {
  const { t, i18n } = useTranslation();
  const criterion = useCriterionName();
  const constraint = useConstraintName();
  const label = (key: string) => {
    const [head, name] = key.split(".");
    if (head === "hard" && name) return t("matching.criteriaEditor.hardNamed", { name: constraint(name) });
    if (head === "weights" && name) return t("matching.criteriaEditor.weightNamed", { name: criterion(name) });
    return t(`matching.criteriaEditor.${head}`);
  };
  const show = (key: string, value: string) =>
    key.startsWith("hard.") ? (value === "true" ? t("matching.criteriaEditor.on") : t("matching.criteriaEditor.off")) : formatScore(Number(value), i18n.language);
  const changes = criteriaChanges(previous, version);
  return (
    <Stack gap="xs">
      {previous &&
        (changes.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("matching.criteriaEditor.noChanges")}
          </Text>
        ) : (
          <List size="sm">
            {changes.map((c) => (
              <List.Item key={c.key}>{t("matching.criteriaEditor.change", { what: label(c.key), before: show(c.key, c.before), after: show(c.key, c.after) })}</List.Item>
            ))}
          </List>
        ))}
      <Text size="xs" c="dimmed">
        {t("matching.criteriaEditor.versionSummary", {
          hard: HARD_CONSTRAINTS.filter((h) => version.hard[h] ?? true).map(constraint).join(", ") || t("matching.criteriaEditor.none"),
          weights: SCORED_CRITERIA.map((w) => `${criterion(w)} ${formatScore(version.weights[w] ?? 0, i18n.language)}`).join(", "),
          bonus: formatScore(version.cross_regional_bonus, i18n.language),
          penalty: formatScore(version.duplication_penalty, i18n.language),
          days: version.waiting_full_days,
        })}
      </Text>
    </Stack>
  );
}

function History() {
  const { t, i18n } = useTranslation();
  const versions = useCriteriaVersions();
  const [open, setOpen] = useState<number | null>(null);
  if (versions.isLoading) return <Loading />;
  if (versions.isError) return <ErrorAlert error={versions.error} onRetry={() => void versions.refetch()} />;
  const rows = versions.data ?? [];
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table data-testid="criteria-versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("matching.criteriaEditor.version")}</Table.Th>
            <Table.Th scope="col">{t("matching.criteriaEditor.createdAt")}</Table.Th>
            <Table.Th scope="col">{t("matching.criteriaEditor.note")}</Table.Th>
            <Table.Th scope="col">{t("app.actions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((v, index) => (
            <Fragment key={v.version}>
              <Table.Tr>
                <Table.Td>
                  <Group gap={6}>
                    {v.version}
                    {v.is_active && (
                      <Badge color="teal" variant="light">
                        {t("matching.criteriaEditor.active")}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{formatDateTime(v.created_at, i18n.language)}</Table.Td>
                <Table.Td>{v.note}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    aria-expanded={open === v.version}
                    onClick={() => setOpen(open === v.version ? null : v.version)}
                    aria-label={t("matching.criteriaEditor.showVersion", { version: v.version })}
                  >
                    {open === v.version ? t("matching.criteriaEditor.hide") : t("matching.criteriaEditor.show")}
                  </Button>
                </Table.Td>
              </Table.Tr>
              {open === v.version && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <VersionDetails version={v} previous={rows[index + 1]} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The Secretariat edits the matching criteria; each save is a new version, which becomes the active one. */
export function CriteriaPage() {
  const { t, i18n } = useTranslation();
  const active = useActiveCriteria();
  const save = useSaveCriteria();
  const criterion = useCriterionName();
  // The edits apply to the version they started from: a new active version (after a save) resets the form.
  const [edited, setEdited] = useState<{ version: number; draft: Draft } | null>(null);
  const draft = active.data ? (edited?.version === active.data.version ? edited.draft : draftOf(active.data)) : null;
  const setDraft = (change: (d: Draft) => Draft) => {
    if (active.data && draft) setEdited({ version: active.data.version, draft: change(draft) });
  };

  if (active.isLoading) return <Loading />;
  if (active.isError) return <ErrorAlert error={active.error} onRetry={() => void active.refetch()} />;
  if (!active.data || !draft) return null;
  const fields = save.error instanceof ApiError ? save.error.fieldMap() : {};
  const others = unplacedErrors(fields, ["hard", "weights", "cross_regional_bonus", "duplication_penalty", "waiting_full_days", "note"]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        hard: draft.hard,
        weights: Object.fromEntries(Object.entries(draft.weights).map(([k, v]) => [k, num(v)])),
        cross_regional_bonus: num(draft.cross_regional_bonus),
        duplication_penalty: num(draft.duplication_penalty),
        waiting_full_days: Math.max(1, Math.round(num(draft.waiting_full_days))),
        note: draft.note.trim(),
      },
      { onSuccess: (c) => notifications.show({ color: "green", message: t("matching.criteriaEditor.saved", { version: c.version }) }) },
    );
  };
  const waitingWeight = num(draft.weights.waiting ?? 0);
  const fullDays = Math.max(1, num(draft.waiting_full_days));

  return (
    <Stack maw={1100}>
      <PageHeader title={t("matching.criteriaEditor.title")} description={t("matching.criteriaEditor.intro", { version: active.data.version })} />
      <MatchingNav />
      <form onSubmit={submit} noValidate style={READABLE_ERRORS}>
        <Stack>
          <Card withBorder component="section" padding="md">
            <Title order={2} size="h4">
              {t("matching.criteriaEditor.hardTitle")}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t("matching.criteriaEditor.hardIntro")}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {HARD_CONSTRAINTS.map((h) => (
                <Switch
                  key={h}
                  label={t(`matching.criteria.hard.${h}`)}
                  description={t(`matching.criteria.hardHints.${h}`)}
                  checked={draft.hard[h] ?? true}
                  error={fields[`hard.${h}`]}
                  onChange={(e) => {
                    const checked = e.currentTarget.checked;
                    setDraft((d) => ({ ...d, hard: { ...d.hard, [h]: checked } }));
                  }}
                />
              ))}
            </SimpleGrid>
          </Card>
          <Card withBorder component="section" padding="md">
            <Title order={2} size="h4">
              {t("matching.criteriaEditor.weightsTitle")}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t("matching.criteriaEditor.weightsIntro")}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
              {SCORED_CRITERIA.map((w) => (
                <NumberInput
                  key={w}
                  label={criterion(w)}
                  description={t(`matching.criteria.weightHints.${w}`)}
                  min={-1000}
                  max={1000}
                  step={1}
                  decimalScale={2}
                  value={draft.weights[w]}
                  error={fields[`weights.${w}`]}
                  onChange={(value) => setDraft((d) => ({ ...d, weights: { ...d.weights, [w]: value } }))}
                />
              ))}
              <NumberInput
                label={t("matching.criteriaEditor.cross_regional_bonus")}
                description={t("matching.criteriaEditor.bonusHint")}
                min={-1000}
                max={1000}
                decimalScale={2}
                value={draft.cross_regional_bonus}
                error={fields.cross_regional_bonus}
                onChange={(value) => setDraft((d) => ({ ...d, cross_regional_bonus: value }))}
              />
              <NumberInput
                label={t("matching.criteriaEditor.duplication_penalty")}
                description={t("matching.criteriaEditor.penaltyHint")}
                min={0}
                max={1000}
                decimalScale={2}
                value={draft.duplication_penalty}
                error={fields.duplication_penalty}
                onChange={(value) => setDraft((d) => ({ ...d, duplication_penalty: value }))}
              />
            </SimpleGrid>
          </Card>
          <Card withBorder component="section" padding="md">
            <Title order={2} size="h4">
              {t("matching.criteriaEditor.waitingTitle")}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t("matching.criteriaEditor.waitingIntro")}
            </Text>
            <Group align="flex-start" gap="xl" wrap="wrap">
              <NumberInput
                label={t("matching.criteriaEditor.waiting_full_days")}
                min={1}
                max={3650}
                step={30}
                allowDecimal={false}
                value={draft.waiting_full_days}
                error={fields.waiting_full_days}
                onChange={(value) => setDraft((d) => ({ ...d, waiting_full_days: value }))}
                w={260}
              />
              <Table withTableBorder w="auto" fz="sm">
                <Table.Caption>{t("matching.criteriaEditor.curveCaption")}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("matching.criteriaEditor.daysWaited")}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t("matching.criteriaEditor.contribution")}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {WAIT_EXAMPLES.map((days) => (
                    <Table.Tr key={days}>
                      <Table.Td>{days}</Table.Td>
                      <Table.Td ta="right">{formatScore(waitingContribution(days, waitingWeight, fullDays), i18n.language)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Group>
          </Card>
          <Card withBorder padding="md">
            <Textarea
              label={t("matching.criteriaEditor.note")}
              description={t("matching.criteriaEditor.noteHint")}
              maxLength={2000}
              value={draft.note}
              error={fields.note}
              onChange={(e) => {
                const note = e.currentTarget.value;
                setDraft((d) => ({ ...d, note }));
              }}
            />
            {others.length > 0 && (
              <Alert color="red" role="alert" mt="sm">
                <List size="sm">
                  {others.map((o) => (
                    <List.Item key={o.field}>{o.message}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {save.error && !(save.error instanceof ApiError && save.error.fields.length > 0) && <ErrorAlert error={save.error} />}
            <Group mt="sm">
              <Button type="submit" loading={save.isPending}>
                {t("matching.criteriaEditor.save")}
              </Button>
              <Button variant="default" onClick={() => setEdited(null)}>
                {t("matching.criteriaEditor.reset")}
              </Button>
            </Group>
          </Card>
        </Stack>
      </form>
      <Card withBorder component="section" padding="md">
        <Title order={2} size="h4" mb="xs">
          {t("matching.criteriaEditor.history")}
        </Title>
        <History />
      </Card>
    </Stack>
  );
}
