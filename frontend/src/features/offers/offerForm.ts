// The offer form's state, built from a record (to edit) or empty (to draft), and the body it sends.
import {
  type AttachmentDraft,
  attachmentsFromRecord,
  attachmentsToBody,
  type ComponentDraft,
  type ContactDraft,
  componentsFromRecord,
  componentsToBody,
  contactsFromRecord,
  contactsToBody,
  emptyComponent,
} from "@/components/commitments/drafts";
import { pledgeLabel } from "@/components/RemotePickers";
import type { Schemas } from "@/lib/api";
import type { OfferFull } from "@/lib/commitments";
import type { Option } from "@/lib/reference";

export type OfferFormState = {
  organisation_id: string | null;
  title: string;
  pledge_id: string | null;
  components: ComponentDraft[];
  languages: string[];
  serves_any: boolean;
  served_countries: string[];
  served_regions: string[];
  served_bureaux: string[];
  excluded_countries: string[];
  capacity: number;
  starts_on: string | null;
  ends_on: string | null;
  proactive_target_iso3: string | null;
  public_summary: string;
  confidential_details: string;
  contacts: ContactDraft[];
  attachments: AttachmentDraft[];
  allow_publication: boolean;
  knownPledges: Option[];
};

export function emptyOfferForm(organisationId: string | null): OfferFormState {
  return {
    organisation_id: organisationId,
    title: "",
    pledge_id: null,
    components: [emptyComponent()],
    languages: [],
    serves_any: true,
    served_countries: [],
    served_regions: [],
    served_bureaux: [],
    excluded_countries: [],
    capacity: 1,
    starts_on: null,
    ends_on: null,
    proactive_target_iso3: null,
    public_summary: "",
    confidential_details: "",
    contacts: [],
    attachments: [],
    allow_publication: false,
    knownPledges: [],
  };
}

export function offerFormFromRecord(record: OfferFull): OfferFormState {
  return {
    organisation_id: record.organisation.id,
    title: record.title,
    pledge_id: record.pledge?.id ?? null,
    components: componentsFromRecord(record.components),
    languages: [...record.languages],
    serves_any: record.serves_any,
    served_countries: [...record.served_countries],
    served_regions: [...record.served_regions],
    served_bureaux: [...record.served_bureaux],
    excluded_countries: [...record.excluded_countries],
    capacity: record.capacity,
    starts_on: record.starts_on,
    ends_on: record.ends_on,
    proactive_target_iso3: record.proactive_target_iso3,
    public_summary: record.public_summary,
    confidential_details: record.confidential_details,
    contacts: contactsFromRecord(record.contacts),
    attachments: attachmentsFromRecord(record.attachments),
    allow_publication: record.allow_publication,
    knownPledges: record.pledge ? [{ value: record.pledge.id, label: pledgeLabel(record.pledge) }] : [],
  };
}

export type SentKeys = { components: string[]; contacts: string[]; attachments: string[] };
/** What create and update both accept (create adds the organisation). */
export type OfferBody = Omit<Schemas["SupportOfferCreate"], "organisation_id">;

export function offerBody(state: OfferFormState): { body: OfferBody; sent: SentKeys } {
  const components = componentsToBody(state.components);
  const contacts = contactsToBody(state.contacts);
  const attachments = attachmentsToBody(state.attachments);
  // Serving any country makes the served lists meaningless: they are sent empty.
  const scoped = !state.serves_any;
  return {
    body: {
      title: state.title.trim(),
      pledge_id: state.pledge_id,
      components: components.body,
      languages: state.languages,
      serves_any: state.serves_any,
      served_countries: scoped ? state.served_countries : [],
      served_regions: scoped ? state.served_regions : [],
      served_bureaux: scoped ? state.served_bureaux : [],
      excluded_countries: state.excluded_countries,
      capacity: state.capacity,
      starts_on: state.starts_on,
      ends_on: state.ends_on,
      proactive_target_iso3: state.proactive_target_iso3,
      public_summary: state.public_summary.trim(),
      confidential_details: state.confidential_details.trim(),
      contacts: contacts.body,
      attachments: attachments.body,
      allow_publication: state.allow_publication,
    },
    sent: { components: components.keys, contacts: contacts.keys, attachments: attachments.keys },
  };
}

export const OFFER_FIELDS = [
  "organisation_id",
  "title",
  "pledge_id",
  "components",
  "languages",
  "serves_any",
  "served_countries",
  "served_regions",
  "served_bureaux",
  "excluded_countries",
  "capacity",
  "starts_on",
  "ends_on",
  "proactive_target_iso3",
  "public_summary",
  "confidential_details",
  "contacts",
  "attachments",
  "allow_publication",
] as const;
