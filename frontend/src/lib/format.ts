// Localised formatting of dates and numbers for the current UI language.
export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, { year: "numeric", month: "short", day: "numeric" }).format(date);
}

export function formatDateTime(value: string | null | undefined, language: string): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

export type Language = "en" | "fr" | "es";

/** Pick the label in the UI language from a record with `name_en/fr/es` or `label_en/fr/es`. */
export function localised(
  record: Record<string, unknown> | undefined | null,
  language: string,
  field: "name" | "label" = "name",
): string {
  if (!record) return "";
  const lang = (["en", "fr", "es"].includes(language) ? language : "en") as Language;
  const value = record[`${field}_${lang}`] ?? record[`${field}_en`];
  return typeof value === "string" ? value : "";
}

/** A calendar date (`YYYY-MM-DD`, no time zone) for the language; never shifted by the browser's zone. */
export function formatDay(value: string | null | undefined, language: string): string {
  if (!value) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return formatDate(value, language);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(language, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }).format(date);
}
