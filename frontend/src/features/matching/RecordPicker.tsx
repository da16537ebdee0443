import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCountryName } from "@/lib/reference";
import { useMatchableSearch, useRecordLabel } from "./api";

/** Picks a validated request or offer by searching its title, summary or components (server-side search). */
export function RecordPicker({
  kind,
  value,
  onChange,
}: {
  kind: "request" | "offer";
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const [search, setSearch] = useState("");
  const current = useRecordLabel(kind, value);
  const label = (r: { reference: string; title: string; country: string | null }) =>
    `${r.title} (${r.reference}${r.country ? ` · ${countryName(r.country)}` : ""})`;
  const currentLabel = current.data ? label(current.data) : undefined;
  // Once an option is picked, the box shows its label: that is not a new search.
  const [q] = useDebouncedValue(search === currentLabel ? "" : search.trim(), 300);
  const found = useMatchableSearch(kind, q);
  const options = (found.data ?? []).map((r) => ({ value: r.id, label: label(r) }));
  if (value && currentLabel && !options.some((o) => o.value === value)) options.unshift({ value, label: currentLabel });
  return (
    <Select
      label={t(kind === "request" ? "matching.console.pickRequest" : "matching.console.pickOffer")}
      placeholder={t("matching.console.searchPlaceholder")}
      searchable
      clearable
      filter={({ options: all }) => all}
      nothingFoundMessage={found.isFetching ? t("app.loading") : t("app.noResults")}
      data={options}
      value={value}
      onSearchChange={setSearch}
      onChange={(id) => onChange(id)}
      comboboxProps={{ withinPortal: true }}
      maxDropdownHeight={320}
      style={{ flex: "1 1 380px" }}
    />
  );
}
