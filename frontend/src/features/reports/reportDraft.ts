// A progress report being written: the form's state, its checks before sending, and the PATCH body.
import type { Schemas } from "@/lib/api";
import type { FieldMap } from "@/lib/fieldErrors";
import type { Report } from "./reportState";

export const QUALITIES = ["fairness", "efficiency", "adaptability", "integrity"] as const;
export type Quality = (typeof QUALITIES)[number];
export const STAGES = ["planning", "in_progress", "fulfilled"] as const;
export type Stage = (typeof STAGES)[number];
export const RATINGS = [1, 2, 3, 4, 5] as const;
export const MAX_INDICATORS = 50;
export const MAX_LINKS = 30;

export type ReportUpdate = Schemas["ReportUpdate"];
/** Number inputs hold a number, or text while being typed (or empty). */
export type NumberValue = number | string;
export type IndicatorDraft = { key: string; name: string; unit: string; baseline: NumberValue; target: NumberValue; actual: NumberValue };
export type LinkDraft = { key: string; title: string; url: string };
export type ImpactDraft = Record<Quality, { rating: number | null; evidence: string }>;
export type ReportDraft = {
  stage: Stage | null;
  narrative: string;
  challenges: string;
  good_practices: string;
  next_steps: string;
  impact: ImpactDraft;
  indicators: IndicatorDraft[];
  links: LinkDraft[];
};
/** What a report, or one of its submitted revisions, says (the revision's `content` has the same fields). */
export type ReportContent = Pick<Report, "stage" | "narrative" | "challenges" | "good_practices" | "next_steps" | "impact" | "indicators" | "links">;

let counter = 0;
/** A client-side key for a new row (rows are reordered and removed, so the position is no key). */
export function rowKey(): string {
  counter += 1;
  return `row-${counter}`;
}

const asNumberValue = (value: number | null | undefined): NumberValue => (value === null || value === undefined ? "" : value);

export function emptyIndicator(): IndicatorDraft {
  return { key: rowKey(), name: "", unit: "", baseline: "", target: "", actual: "" };
}

export function emptyLink(): LinkDraft {
  return { key: rowKey(), title: "", url: "" };
}

export function toDraft(report: ReportContent): ReportDraft {
  const impact = Object.fromEntries(
    QUALITIES.map((q) => [q, { rating: report.impact[q]?.rating ?? null, evidence: report.impact[q]?.evidence ?? "" }]),
  ) as ImpactDraft;
  return {
    stage: report.stage ?? null,
    narrative: report.narrative,
    challenges: report.challenges,
    good_practices: report.good_practices,
    next_steps: report.next_steps,
    impact,
    indicators: report.indicators.map((i) => ({
      key: rowKey(),
      name: i.name,
      unit: i.unit ?? "",
      baseline: asNumberValue(i.baseline),
      target: asNumberValue(i.target),
      actual: asNumberValue(i.actual),
    })),
    links: report.links.map((l) => ({ key: rowKey(), title: l.title, url: l.url })),
  };
}

/** A number input's value as a number, or null when empty or not a number. */
export function toNumber(value: NumberValue): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const text = value.trim().replace(",", ".");
  if (!text) return null;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : null;
}

/** The PATCH body: every field (the draft is the whole report), trimmed; empty rows and unrated qualities left out. */
export function toUpdate(draft: ReportDraft): ReportUpdate {
  const impact: NonNullable<ReportUpdate["impact"]> = {};
  for (const q of QUALITIES) {
    const entry = draft.impact[q];
    if (entry.rating !== null) impact[q] = { rating: entry.rating, evidence: entry.evidence.trim() };
  }
  return {
    stage: draft.stage,
    narrative: draft.narrative.trim(),
    challenges: draft.challenges.trim(),
    good_practices: draft.good_practices.trim(),
    next_steps: draft.next_steps.trim(),
    impact,
    indicators: draft.indicators
      .filter((i) => !isBlankIndicator(i))
      .map((i) => ({ name: i.name.trim(), unit: i.unit.trim(), baseline: toNumber(i.baseline), target: toNumber(i.target), actual: toNumber(i.actual) })),
    links: draft.links.filter((l) => l.title.trim() || l.url.trim()).map((l) => ({ title: l.title.trim(), url: l.url.trim() })),
  };
}

export function isBlankIndicator(i: IndicatorDraft): boolean {
  return !i.name.trim() && !i.unit.trim() && [i.baseline, i.target, i.actual].every((v) => String(v).trim() === "");
}

const URL_PATTERN = /^https?:\/\/[^\s<>"']+$/;

export type ValidationMessages = {
  required: string;
  notANumber: string;
  url: string;
  ratingForEvidence: string;
};

/**
 * Problems the server would refuse, found before sending, keyed like the server's field errors (positions of
 * the rows as they will be sent: blank indicator rows and empty link rows are not sent).
 */
export function validateDraft(draft: ReportDraft, messages: ValidationMessages): FieldMap {
  const errors: FieldMap = {};
  draft.indicators
    .filter((i) => !isBlankIndicator(i))
    .forEach((i, index) => {
      if (!i.name.trim()) errors[`indicators.${index}.name`] = messages.required;
      for (const field of ["baseline", "target", "actual"] as const) {
        if (String(i[field]).trim() !== "" && toNumber(i[field]) === null) errors[`indicators.${index}.${field}`] = messages.notANumber;
      }
    });
  draft.links
    .filter((l) => l.title.trim() || l.url.trim())
    .forEach((l, index) => {
      if (!l.title.trim()) errors[`links.${index}.title`] = messages.required;
      if (!URL_PATTERN.test(l.url.trim())) errors[`links.${index}.url`] = messages.url;
    });
  for (const q of QUALITIES) {
    if (draft.impact[q].rating === null && draft.impact[q].evidence.trim()) errors[`impact.${q}.rating`] = messages.ratingForEvidence;
  }
  return errors;
}

/** The keys of the rows that are sent, in order (to put the server's `indicators.2.name` on the right row). */
export function sentIndicatorKeys(draft: ReportDraft): string[] {
  return draft.indicators.filter((i) => !isBlankIndicator(i)).map((i) => i.key);
}

export function sentLinkKeys(draft: ReportDraft): string[] {
  return draft.links.filter((l) => l.title.trim() || l.url.trim()).map((l) => l.key);
}

/** Whether the draft differs from what the report holds. */
export function isDirty(draft: ReportDraft, report: ReportContent): boolean {
  return JSON.stringify(toUpdate(draft)) !== JSON.stringify(toUpdate(toDraft(report)));
}

/**
 * How far an indicator has come from its baseline to its target (0 = baseline, 1 = target reached; more
 * when exceeded, negative when it went the other way), or null when it cannot be said.
 */
export function indicatorProgress(i: { baseline?: number | null; target?: number | null; actual?: number | null }): number | null {
  const baseline = i.baseline ?? 0;
  if (i.target === null || i.target === undefined || i.actual === null || i.actual === undefined) return null;
  if (i.target === baseline) return null;
  return (i.actual - baseline) / (i.target - baseline);
}
