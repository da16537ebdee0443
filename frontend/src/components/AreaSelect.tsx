import { Select, type SelectProps } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { groupAreaOptions, uiLanguage, useAreas } from "@/lib/reference";

/**
 * Picks one area of the asylum-system taxonomy: grouped by top-level area, each group starting with the
 * whole area, then its sub-areas; searchable, labelled in the UI language.
 */
export function AreaSelect(props: Omit<SelectProps, "data">) {
  const { t, i18n } = useTranslation();
  const areas = useAreas(true);
  const keep = props.value ? [props.value] : [];
  const data = groupAreaOptions(areas.data ?? [], uiLanguage(i18n), (label) => t("commitments.wholeArea", { area: label }), keep);
  return <Select searchable nothingFoundMessage={t("app.noResults")} maxDropdownHeight={320} {...props} data={data} />;
}
