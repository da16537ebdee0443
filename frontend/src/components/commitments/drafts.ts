// Form state for the repeatable parts of requests and offers (components, contacts, attachment links), and
// its mapping to and from the API. Each row carries a client key so errors follow rows that move.
import type { Schemas } from "@/lib/api";

export type ComponentDraft = {
  key: string;
  area_code: string | null;
  modalities: string[];
  support_types: string[];
  description: string;
};
export type ContactDraft = { key: string; name: string; role: string; email: string; phone: string };
export type AttachmentDraft = { key: string; title: string; url: string };

let counter = 0;
/** A key unique within the page (rows are never persisted with it). */
export function newKey(prefix = "row"): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function emptyComponent(): ComponentDraft {
  return { key: newKey("component"), area_code: null, modalities: [], support_types: ["technical"], description: "" };
}

export function emptyContact(): ContactDraft {
  return { key: newKey("contact"), name: "", role: "", email: "", phone: "" };
}

export function emptyAttachment(): AttachmentDraft {
  return { key: newKey("attachment"), title: "", url: "" };
}

export function componentsFromRecord(components: Schemas["ComponentOut"][]): ComponentDraft[] {
  return [...components]
    .sort((a, b) => a.position - b.position)
    .map((c) => ({
      key: newKey("component"),
      area_code: c.area_code,
      modalities: [...c.modalities],
      support_types: [...c.support_types],
      description: c.description,
    }));
}

export function contactsFromRecord(contacts: Schemas["Contact"][]): ContactDraft[] {
  return contacts.map((c) => ({ key: newKey("contact"), name: c.name, role: c.role ?? "", email: c.email ?? "", phone: c.phone ?? "" }));
}

export function attachmentsFromRecord(attachments: Schemas["Attachment"][]): AttachmentDraft[] {
  return attachments.map((a) => ({ key: newKey("attachment"), title: a.title, url: a.url }));
}

/** Rows as sent, with the key of each sent row in order (to place the server's `field.N.x` errors). */
export type Sent<T> = { body: T[]; keys: string[] };

export function componentsToBody(drafts: ComponentDraft[]): Sent<Schemas["ComponentIn"]> {
  return {
    body: drafts.map((d) => ({
      area_code: d.area_code ?? "",
      modalities: d.modalities,
      support_types: d.support_types,
      description: d.description.trim(),
    })),
    keys: drafts.map((d) => d.key),
  };
}

/** Contacts to send: rows left entirely blank are dropped; blank optional fields are sent as null. */
export function contactsToBody(drafts: ContactDraft[]): Sent<Schemas["Contact"]> {
  const kept = drafts.filter((d) => [d.name, d.role, d.email, d.phone].some((v) => v.trim()));
  const orNull = (v: string) => (v.trim() ? v.trim() : null);
  return {
    body: kept.map((d) => ({ name: d.name.trim(), role: orNull(d.role), email: orNull(d.email), phone: orNull(d.phone) })),
    keys: kept.map((d) => d.key),
  };
}

export function attachmentsToBody(drafts: AttachmentDraft[]): Sent<Schemas["Attachment"]> {
  const kept = drafts.filter((d) => d.title.trim() || d.url.trim());
  return { body: kept.map((d) => ({ title: d.title.trim(), url: d.url.trim() })), keys: kept.map((d) => d.key) };
}

/** `list` with the item at `from` moved to `to` (out-of-range moves change nothing). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length || to < 0 || to >= list.length || from === to) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}
