// Form state of a knowledge item and its mapping to the API (create and update bodies), with the checks made
// before sending. Link rows carry a client key so the server's `source_links.N.url` errors follow their row.
import type { Schemas } from "@/lib/api";
import type { FieldMap } from "@/lib/fieldErrors";
import type { ItemLanguage, Kind, KnowledgeFull } from "./api";

export type LinkRow = { key: string; title: string; url: string };

export type ItemFormState = {
  kind: Kind;
  language: ItemLanguage;
  organisation_id: string | null;
  title: string;
  summary: string;
  body: string;
  areas: string[];
  countries: string[];
  regions: string[];
  contributor_types: string[];
  source_links: LinkRow[];
  attachment_links: LinkRow[];
  year: number | null;
  starts_on: string | null;
  ends_on: string | null;
};

/** Every field the form shows an input for (server errors on other fields are listed above the form). */
export const ITEM_FIELDS = [
  "kind",
  "language",
  "organisation_id",
  "title",
  "summary",
  "body",
  "areas",
  "countries",
  "regions",
  "contributor_types",
  "source_links",
  "attachment_links",
  "year",
  "starts_on",
  "ends_on",
] as const;

let counter = 0;
export function newRowKey(): string {
  counter += 1;
  return `link-${counter}`;
}

export function emptyLink(): LinkRow {
  return { key: newRowKey(), title: "", url: "" };
}

export function emptyItemForm(kind: Kind, language: ItemLanguage, organisationId: string | null): ItemFormState {
  return {
    kind,
    language,
    organisation_id: organisationId,
    title: "",
    summary: "",
    body: "",
    areas: [],
    countries: [],
    regions: [],
    contributor_types: [],
    source_links: [],
    attachment_links: [],
    year: null,
    starts_on: null,
    ends_on: null,
  };
}

export function itemFormFromRecord(item: KnowledgeFull): ItemFormState {
  const rows = (links: { title: string; url: string }[]) => links.map((l) => ({ key: newRowKey(), title: l.title, url: l.url }));
  return {
    kind: item.kind,
    language: item.language,
    organisation_id: item.organisation?.id ?? null,
    title: item.title,
    summary: item.summary,
    body: item.body,
    areas: [...item.areas],
    countries: [...item.countries],
    regions: [...item.regions],
    contributor_types: [...item.contributor_types],
    source_links: rows(item.source_links),
    attachment_links: rows(item.attachment_links),
    year: item.year,
    starts_on: item.starts_on,
    ends_on: item.ends_on,
  };
}

/** Rows to send (entirely blank rows dropped) and the key of each, in order. */
export function linksToBody(rows: LinkRow[]): { body: Schemas["Link"][]; keys: string[] } {
  const kept = rows.filter((row) => row.title.trim() || row.url.trim());
  return { body: kept.map((row) => ({ title: row.title.trim(), url: row.url.trim() })), keys: kept.map((row) => row.key) };
}

export type SentKeys = { source_links: string[]; attachment_links: string[] };

function content(state: ItemFormState) {
  const sources = linksToBody(state.source_links);
  const attachments = linksToBody(state.attachment_links);
  return {
    body: {
      kind: state.kind,
      title: state.title.trim(),
      summary: state.summary.trim(),
      body: state.body,
      areas: state.areas,
      countries: state.countries,
      regions: state.regions,
      contributor_types: state.contributor_types,
      source_links: sources.body,
      attachment_links: attachments.body,
      year: state.year,
      starts_on: state.starts_on,
      ends_on: state.ends_on,
    },
    sent: { source_links: sources.keys, attachment_links: attachments.keys },
  };
}

export function createBody(state: ItemFormState): { body: Schemas["KnowledgeItemCreate"]; sent: SentKeys } {
  const { body, sent } = content(state);
  return { body: { ...body, language: state.language, organisation_id: state.organisation_id }, sent };
}

/** A full update: lists replace the stored ones, so the form sends every field it shows. */
export function updateBody(state: ItemFormState): { body: Schemas["KnowledgeItemUpdate"]; sent: SentKeys } {
  return content(state);
}

const WEB_URL = /^https?:\/\/[^\s<>"']+$/i;

/** Mistakes caught before sending, keyed like the server's field errors (`source_links.0.url`). */
export function checkItem(
  body: { title?: string | null; source_links?: Schemas["Link"][] | null; attachment_links?: Schemas["Link"][] | null; starts_on?: string | null; ends_on?: string | null },
  t: (key: string) => string,
): FieldMap {
  const errors: FieldMap = {};
  const title = body.title?.trim() ?? "";
  if (title.length < 3) errors.title = t("knowledge.form.errors.title");
  for (const name of ["source_links", "attachment_links"] as const) {
    (body[name] ?? []).forEach((link, index) => {
      if (!link.title.trim()) errors[`${name}.${index}.title`] = t("knowledge.form.errors.linkTitle");
      if (!WEB_URL.test(link.url.trim())) errors[`${name}.${index}.url`] = t("knowledge.form.errors.linkUrl");
    });
  }
  if (body.starts_on && body.ends_on && body.ends_on < body.starts_on) errors.ends_on = t("knowledge.form.errors.endsBeforeStart");
  return errors;
}
