import "dayjs/locale/es";
import "dayjs/locale/fr";
import { DatesProvider } from "@mantine/dates";
import dayjs from "dayjs";
import localizedFormat from "dayjs/plugin/localizedFormat";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

// Date inputs show dates with `LL` ("16 October 2026", "16 octobre 2026").
dayjs.extend(localizedFormat);

/** Date pickers speak the UI language (month and day names, first day of the week). */
export function LocalisedDates({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const locale = (i18n.resolvedLanguage ?? i18n.language ?? "en").slice(0, 2);
  return <DatesProvider settings={{ locale, firstDayOfWeek: locale === "en" ? 0 : 1 }}>{children}</DatesProvider>;
}
