// Pickers over lists too long to load at once (organisations, pledges): the server searches as the user types.
import { MultiSelect, type MultiSelectProps, Select, type SelectProps } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "@/lib/api";
import type { Option } from "@/lib/reference";

const PAGE = 20;

function useOrganisationSearch(search: string, kind?: "stakeholder" | "state_government" | "state_institution") {
  const [q] = useDebouncedValue(search.trim(), 300);
  return useQuery({
    queryKey: ["organisations", "picker", q, kind],
    queryFn: () => unwrap(api.GET("/api/v1/organisations", { params: { query: { q: q || undefined, kind, limit: PAGE } } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

function usePledgeSearch(search: string) {
  const [q] = useDebouncedValue(search.trim(), 300);
  return useQuery({
    queryKey: ["pledges", "picker", q],
    queryFn: () => unwrap(api.GET("/api/v1/pledges", { params: { query: { q: q || undefined, limit: PAGE } } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** The options to show: what the search found, plus the selected values (labelled from `known`). */
function merge(found: Option[], known: Option[], selected: readonly string[]): Option[] {
  const byValue = new Map<string, Option>();
  for (const option of [...known.filter((o) => selected.includes(o.value)), ...found]) byValue.set(option.value, option);
  return [...byValue.values()];
}

export function pledgeLabel(pledge: { external_id: string; title: string }): string {
  return `${pledge.title} (${pledge.external_id})`;
}

type MultiProps = Omit<MultiSelectProps, "data" | "value" | "onChange" | "searchValue" | "onSearchChange"> & {
  value: string[];
  onChange: (value: string[], options: Option[]) => void;
  known: Option[];
};

/** Several stakeholder organisations (e.g. the partners of a joint request). */
export function OrganisationMultiPicker({ value, onChange, known, ...props }: MultiProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const result = useOrganisationSearch(search, "stakeholder");
  const found = (result.data?.items ?? []).map((o) => ({ value: o.id, label: o.short_name ? `${o.name} (${o.short_name})` : o.name }));
  const data = merge(found, known, value);
  return (
    <MultiSelect
      searchable
      filter={({ options }) => options}
      nothingFoundMessage={result.isFetching ? t("app.loading") : t("app.noResults")}
      comboboxProps={{ withinPortal: true }}
      {...props}
      data={data}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(ids) => onChange(ids, data.filter((o) => ids.includes(o.value)))}
    />
  );
}

/** Several pledges (the GCR pledges a request stems from). */
export function PledgeMultiPicker({ value, onChange, known, ...props }: MultiProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const result = usePledgeSearch(search);
  const found = (result.data?.items ?? []).map((p) => ({ value: p.id, label: pledgeLabel(p) }));
  const data = merge(found, known, value);
  return (
    <MultiSelect
      searchable
      filter={({ options }) => options}
      nothingFoundMessage={result.isFetching ? t("app.loading") : t("app.noResults")}
      comboboxProps={{ withinPortal: true }}
      {...props}
      data={data}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(ids) => onChange(ids, data.filter((o) => ids.includes(o.value)))}
    />
  );
}

type SingleProps = Omit<SelectProps, "data" | "value" | "onChange" | "searchValue" | "onSearchChange"> & {
  value: string | null;
  onChange: (value: string | null, option: Option | null) => void;
  known: Option[];
};

/** One pledge (the pledge an offer stems from). */
export function PledgePicker({ value, onChange, known, ...props }: SingleProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const selectedLabel = known.find((o) => o.value === value)?.label;
  // Once an option is picked the search box shows its label: that is not a new search.
  const result = usePledgeSearch(search === selectedLabel ? "" : search);
  const found = (result.data?.items ?? []).map((p) => ({ value: p.id, label: pledgeLabel(p) }));
  const data = merge(found, known, value ? [value] : []);
  return (
    <Select
      searchable
      clearable
      filter={({ options }) => options}
      nothingFoundMessage={result.isFetching ? t("app.loading") : t("app.noResults")}
      comboboxProps={{ withinPortal: true }}
      {...props}
      data={data}
      value={value}
      onSearchChange={setSearch}
      onChange={(id) => onChange(id, data.find((o) => o.value === id) ?? null)}
    />
  );
}
