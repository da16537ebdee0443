import { Badge, Button, Card, Collapse, Group, MultiSelect, Select, SimpleGrid, TextInput } from "@mantine/core";
import { IconFilter, IconSearch, IconX } from "@tabler/icons-react";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { AreaSelect } from "@/components/AreaSelect";
import { STATUSES, URGENCIES } from "@/lib/commitments";
import { countActive, type FilterValues, withFilter } from "@/lib/listFilters";
import { type Option, type OptionGroup, useBureauOptions, useCountryOptions, useRegionOptions, useTermOptions } from "@/lib/reference";

/** The filters a list page may offer; each knows its control and its options. */
export type FilterField =
  | "status"
  | "country"
  | "serves_country"
  | "region"
  | "bureau"
  | "area"
  | "support_type"
  | "modality"
  | "language"
  | "urgency"
  | "is_establishing_system"
  | "contributor_type"
  | "pledge_source_event"
  | "source_event"
  | "stage";

const SEARCH_DELAY_MS = 350;

function single(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

type ControlProps = { field: FilterField; values: FilterValues; onChange: (values: FilterValues) => void };

function useCommonProps({ field, values, onChange }: ControlProps) {
  const { t } = useTranslation();
  return {
    label: t(`filters.${field}`),
    clearable: true,
    value: single(values[field]),
    onChange: (value: string | null) => onChange(withFilter(values, field, value)),
    comboboxProps: { withinPortal: true },
    nothingFoundMessage: t("app.noResults"),
  };
}

function OptionsFilter({ data, searchable, ...props }: ControlProps & { data: Option[] | OptionGroup[]; searchable?: boolean }) {
  return <Select {...useCommonProps(props)} data={data} searchable={searchable} />;
}

function TermFilter({ vocabulary, ...props }: ControlProps & { vocabulary: string }) {
  return <OptionsFilter {...props} data={useTermOptions(vocabulary)} searchable={vocabulary === "languages"} />;
}

function CountryFilter(props: ControlProps) {
  return <OptionsFilter {...props} data={useCountryOptions()} searchable />;
}

function RegionFilter(props: ControlProps) {
  return <OptionsFilter {...props} data={useRegionOptions()} searchable />;
}

function BureauFilter(props: ControlProps) {
  return <OptionsFilter {...props} data={useBureauOptions()} />;
}

function AreaFilter(props: ControlProps) {
  return <AreaSelect {...useCommonProps(props)} />;
}

function FilterControl(props: ControlProps) {
  const { t } = useTranslation();
  const { field, values, onChange } = props;
  switch (field) {
    case "status":
      return (
        <MultiSelect
          label={t("filters.status")}
          clearable
          value={[values.status ?? []].flat()}
          onChange={(value) => onChange(withFilter(values, field, value))}
          data={STATUSES.map((s) => ({ value: s, label: t(`commitments.statuses.${s}`) }))}
          comboboxProps={{ withinPortal: true }}
        />
      );
    case "country":
    case "serves_country":
      return <CountryFilter {...props} />;
    case "region":
      return <RegionFilter {...props} />;
    case "bureau":
      return <BureauFilter {...props} />;
    case "area":
      return <AreaFilter {...props} />;
    case "support_type":
      return <TermFilter {...props} vocabulary="support_types" />;
    case "modality":
      return <TermFilter {...props} vocabulary="modalities" />;
    case "language":
      return <TermFilter {...props} vocabulary="languages" />;
    case "contributor_type":
      return <TermFilter {...props} vocabulary="contributor_types" />;
    case "pledge_source_event":
    case "source_event":
      return <TermFilter {...props} vocabulary="pledge_source_events" />;
    case "stage":
      return <TermFilter {...props} vocabulary="public_stages" />;
    case "urgency":
      return <OptionsFilter {...props} data={URGENCIES.map((u) => ({ value: u, label: t(`commitments.urgencies.${u}`) }))} />;
    case "is_establishing_system":
      return (
        <OptionsFilter
          {...props}
          data={[
            { value: "true", label: t("app.yes") },
            { value: "false", label: t("app.no") },
          ]}
        />
      );
  }
}

/**
 * A list's search box, sort order and filters. The search is sent after a short pause in typing; the filter
 * panel folds away and says how many filters are set.
 */
export function ListFilters({
  values,
  onChange,
  fields,
  sortOptions,
}: {
  values: FilterValues;
  onChange: (values: FilterValues) => void;
  fields: FilterField[];
  sortOptions?: Option[];
}) {
  const { t } = useTranslation();
  const active = countActive(values);
  const [opened, setOpened] = useState(active > 0);
  const panelId = useId();
  const [q, setQ] = useState(single(values.q) ?? "");
  const latest = useRef({ values, onChange });
  latest.current = { values, onChange };

  // The URL may change the search from outside (back button, a cleared filter): follow it.
  const urlQ = single(values.q) ?? "";
  useEffect(() => setQ(urlQ), [urlQ]);

  useEffect(() => {
    if (q.trim() === urlQ) return;
    const timer = setTimeout(() => latest.current.onChange(withFilter(latest.current.values, "q", q)), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, urlQ]);

  return (
    <Card withBorder padding="sm">
      <Group align="flex-end" wrap="wrap" gap="sm">
        <TextInput
          label={t("app.search")}
          type="search"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") onChange(withFilter(values, "q", q));
          }}
          style={{ flex: "1 1 260px" }}
        />
        {sortOptions && (
          <Select
            label={t("filters.sort")}
            allowDeselect={false}
            data={sortOptions}
            value={single(values.sort) ?? sortOptions[0]?.value ?? null}
            onChange={(value) => onChange(withFilter(values, "sort", value === sortOptions[0]?.value ? null : value))}
            w={220}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <Button
          variant="default"
          leftSection={<IconFilter size={16} aria-hidden />}
          rightSection={active > 0 ? <Badge size="sm" circle>{active}</Badge> : undefined}
          aria-expanded={opened}
          aria-controls={panelId}
          onClick={() => setOpened((o) => !o)}
        >
          {t("app.filters")}
        </Button>
        {(active > 0 || urlQ) && (
          <Button
            variant="subtle"
            leftSection={<IconX size={16} aria-hidden />}
            onClick={() => onChange(values.sort ? { sort: values.sort } : {})}
          >
            {t("filters.clear")}
          </Button>
        )}
      </Group>
      <Collapse expanded={opened} id={panelId}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mt="sm">
          {fields.map((field) => (
            <FilterControl key={field} field={field} values={values} onChange={onChange} />
          ))}
        </SimpleGrid>
      </Collapse>
    </Card>
  );
}
