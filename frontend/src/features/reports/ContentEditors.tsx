import { ActionIcon, Button, Card, Group, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { FieldMap } from "@/lib/fieldErrors";
import { useTermLabel } from "@/lib/reference";
import { emptyLink, type ImpactDraft, type LinkDraft, MAX_LINKS, QUALITIES, type Quality, RATINGS } from "./reportDraft";

/** The impact on the four qualities of an asylum system: a rating from 1 to 5 (or none) and its evidence. */
export function ImpactEditor({
  impact,
  onChange,
  errors,
  disabled,
}: {
  impact: ImpactDraft;
  onChange: (impact: ImpactDraft) => void;
  errors: FieldMap;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const qualityLabel = useTermLabel("qualities");
  const set = (quality: Quality, patch: Partial<ImpactDraft[Quality]>) => onChange({ ...impact, [quality]: { ...impact[quality], ...patch } });
  const ratingOptions = [
    { value: "", label: t("reports.impact.notRated") },
    ...RATINGS.map((r) => ({ value: String(r), label: t(`reports.impact.ratings.${r}`) })),
  ];
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="impact-editor">
      {QUALITIES.map((quality) => {
        const name = qualityLabel(quality) || t(`reports.qualities.${quality}`);
        return (
          <Card key={quality} withBorder padding="sm">
            <Title order={4} size="h6" mb={6}>
              {name}
            </Title>
            <Stack gap="xs">
              <Select
                label={t("reports.impact.rating", { quality: name })}
                data={ratingOptions}
                value={impact[quality].rating === null ? "" : String(impact[quality].rating)}
                onChange={(value) => set(quality, { rating: value ? Number(value) : null })}
                allowDeselect={false}
                error={errors[`impact.${quality}.rating`] ?? errors[`impact.${quality}`]}
                disabled={disabled}
                comboboxProps={{ withinPortal: true }}
              />
              <Textarea
                label={t("reports.impact.evidence", { quality: name })}
                value={impact[quality].evidence}
                onChange={(e) => set(quality, { evidence: e.currentTarget.value })}
                error={errors[`impact.${quality}.evidence`]}
                autosize
                minRows={2}
                maxRows={8}
                disabled={disabled}
              />
            </Stack>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

/** Documents and pages about the report, as links (title and address). */
export function LinksEditor({
  rows,
  onChange,
  errors,
  disabled,
}: {
  rows: LinkDraft[];
  onChange: (rows: LinkDraft[]) => void;
  errors: Record<string, FieldMap>;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const update = (key: string, patch: Partial<LinkDraft>) => onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs" data-testid="links-editor">
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("reports.links.none")}
        </Text>
      )}
      {rows.map((row, index) => (
        <Group key={row.key} align="flex-start" wrap="nowrap" gap="xs">
          <TextInput
            label={t("reports.links.title", { number: index + 1 })}
            value={row.title}
            onChange={(e) => update(row.key, { title: e.currentTarget.value })}
            error={errors[row.key]?.title}
            maxLength={300}
            style={{ flex: 1 }}
            disabled={disabled}
          />
          <TextInput
            label={t("reports.links.url", { number: index + 1 })}
            type="url"
            placeholder="https://"
            value={row.url}
            onChange={(e) => update(row.key, { url: e.currentTarget.value })}
            error={errors[row.key]?.url}
            maxLength={1000}
            style={{ flex: 2 }}
            disabled={disabled}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mt={28}
            aria-label={t("reports.links.removeAria", { number: index + 1 })}
            onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
            disabled={disabled}
          >
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange([...rows, emptyLink()])}
          disabled={disabled || rows.length >= MAX_LINKS}
        >
          {t("reports.links.add")}
        </Button>
      </Group>
    </Stack>
  );
}
