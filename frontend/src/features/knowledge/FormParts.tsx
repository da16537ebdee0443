// Inputs the knowledge editor and the translation form share: the Markdown body with its preview, link rows,
// and the author organisation picker of the Secretariat.
import { ActionIcon, Button, Group, Select, Stack, Tabs, Text, Textarea, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "@/lib/api";
import type { FieldMap } from "@/lib/fieldErrors";
import { emptyLink, type LinkRow } from "./itemForm";
import { MarkdownPreview } from "./MarkdownPreview";

const MAX_LINKS = 30;

/** The body in Markdown, with a "Preview" tab that shows it as it will read. */
export function BodyEditor({
  value,
  onChange,
  error,
  language,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  language?: string;
}) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>("write");
  return (
    <Tabs value={tab} onChange={setTab} keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="write">{t("knowledge.form.write")}</Tabs.Tab>
        <Tabs.Tab value="preview">{t("knowledge.form.preview")}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="write" pt="sm">
        <Textarea
          label={t("knowledge.fields.body")}
          description={t("knowledge.form.bodyHint")}
          autosize
          minRows={10}
          maxRows={30}
          maxLength={100000}
          value={value}
          error={error}
          lang={language}
          onChange={(e) => onChange(e.currentTarget.value)}
          styles={{ input: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" } }}
        />
      </Tabs.Panel>
      <Tabs.Panel value="preview" pt="sm">
        <Stack gap="xs">
          <Text size="xs" c="dimmed">
            {t("knowledge.form.previewNote")}
          </Text>
          {value.trim() ? (
            <MarkdownPreview source={value} lang={language} />
          ) : (
            <Text size="sm" c="dimmed">
              {t("knowledge.form.previewEmpty")}
            </Text>
          )}
        </Stack>
      </Tabs.Panel>
    </Tabs>
  );
}

/** Repeatable title + address rows (source links, links to documents kept elsewhere). */
export function LinksEditor({
  value,
  onChange,
  errors = {},
  labels,
}: {
  value: LinkRow[];
  onChange: (value: LinkRow[]) => void;
  errors?: Record<string, FieldMap>;
  labels: { title: (n: number) => string; url: (n: number) => string; remove: (n: number) => string; add: string; none: string };
}) {
  const update = (key: string, patch: Partial<LinkRow>) => onChange(value.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs">
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          {labels.none}
        </Text>
      )}
      {value.map((row, index) => {
        const e = errors[row.key] ?? {};
        const number = index + 1;
        return (
          <Group key={row.key} align="flex-start" wrap="wrap" gap="xs" data-testid="link-row">
            <TextInput
              label={labels.title(number)}
              required
              maxLength={300}
              value={row.title}
              error={e.title}
              onChange={(ev) => update(row.key, { title: ev.currentTarget.value })}
              style={{ flex: "1 1 220px" }}
            />
            <TextInput
              label={labels.url(number)}
              required
              type="url"
              placeholder="https://"
              maxLength={1000}
              value={row.url}
              error={e.url}
              onChange={(ev) => update(row.key, { url: ev.currentTarget.value })}
              style={{ flex: "2 1 300px" }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              aria-label={labels.remove(number)}
              onClick={() => onChange(value.filter((r) => r.key !== row.key))}
            >
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          disabled={value.length >= MAX_LINKS}
          onClick={() => onChange([...value, emptyLink()])}
        >
          {labels.add}
        </Button>
      </Group>
    </Stack>
  );
}

/** Any active organisation (the Secretariat may write on behalf of one), searched on the server as one types. */
export function AuthorOrganisationPicker({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [search, setSearch] = useState("");
  const [known, setKnown] = useState<{ value: string; label: string }[]>([]);
  const selectedLabel = known.find((o) => o.value === value)?.label;
  const [q] = useDebouncedValue(search === selectedLabel ? "" : search.trim(), 300);
  const result = useQuery({
    queryKey: ["organisations", "picker", "knowledge", q],
    queryFn: () => unwrap(api.GET("/api/v1/organisations", { params: { query: { q: q || undefined, limit: 20 } } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const found = (result.data?.items ?? []).map((o) => ({ value: o.id, label: o.short_name ? `${o.name} (${o.short_name})` : o.name }));
  const data = [...known.filter((o) => o.value === value && !found.some((f) => f.value === o.value)), ...found];
  return (
    <Select
      id={id}
      label={t("knowledge.fields.organisation")}
      description={t("knowledge.form.organisationSecretariatHint")}
      placeholder={t("knowledge.form.noOrganisation")}
      searchable
      clearable
      filter={({ options }) => options}
      nothingFoundMessage={result.isFetching ? t("app.loading") : t("app.noResults")}
      data={data}
      value={value}
      error={error}
      onSearchChange={setSearch}
      onChange={(next) => {
        const option = data.find((o) => o.value === next);
        if (option) setKnown((list) => [...list.filter((o) => o.value !== option.value), option]);
        onChange(next);
      }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
