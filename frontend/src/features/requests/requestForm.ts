// The request form's state, built from a record (to edit) or empty (to draft), and the body it sends.
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
import type { Schemas } from "@/lib/api";
import type { Quality, RequestFull, Urgency } from "@/lib/commitments";
import type { Option } from "@/lib/reference";
import { pledgeLabel } from "@/components/RemotePickers";

export type RequestFormState = {
  organisation_id: string | null;
  title: string;
  partner_organisation_ids: string[];
  pledge_ids: string[];
  commitment_text: string;
  components: ComponentDraft[];
  qualities: Quality[];
  languages: string[];
  starts_on: string | null;
  ends_on: string | null;
  urgency: Urgency;
  is_establishing_system: boolean;
  context: string;
  public_summary: string;
  confidential_details: string;
  contacts: ContactDraft[];
  attachments: AttachmentDraft[];
  allow_publication: boolean;
  // Labels of the selected partners and pledges (the pickers search the server).
  knownPartners: Option[];
  knownPledges: Option[];
};

export function emptyRequestForm(organisationId: string | null): RequestFormState {
  return {
    organisation_id: organisationId,
    title: "",
    partner_organisation_ids: [],
    pledge_ids: [],
    commitment_text: "",
    components: [emptyComponent()],
    qualities: [],
    languages: [],
    starts_on: null,
    ends_on: null,
    urgency: "normal",
    is_establishing_system: false,
    context: "",
    public_summary: "",
    confidential_details: "",
    contacts: [],
    attachments: [],
    allow_publication: false,
    knownPartners: [],
    knownPledges: [],
  };
}

export function requestFormFromRecord(record: RequestFull): RequestFormState {
  return {
    organisation_id: record.organisation.id,
    title: record.title,
    partner_organisation_ids: record.partners.map((p) => p.id),
    pledge_ids: record.pledges.map((p) => p.id),
    commitment_text: record.commitment_text,
    components: componentsFromRecord(record.components),
    qualities: record.qualities.filter((q): q is Quality => ["fairness", "efficiency", "adaptability", "integrity"].includes(q)),
    languages: [...record.languages],
    starts_on: record.starts_on,
    ends_on: record.ends_on,
    urgency: record.urgency,
    is_establishing_system: record.is_establishing_system,
    context: record.context,
    public_summary: record.public_summary,
    confidential_details: record.confidential_details,
    contacts: contactsFromRecord(record.contacts),
    attachments: attachmentsFromRecord(record.attachments),
    allow_publication: record.allow_publication,
    knownPartners: record.partners.map((p) => ({ value: p.id, label: p.name })),
    knownPledges: record.pledges.map((p) => ({ value: p.id, label: pledgeLabel(p) })),
  };
}

/** The keys of the rows sent, per repeatable field, to place the server's `field.N.x` errors. */
export type SentKeys = { components: string[]; contacts: string[]; attachments: string[] };

/** What create and update both accept (create adds the organisation). */
export type RequestBody = Omit<Schemas["SupportRequestCreate"], "organisation_id">;

export function requestBody(state: RequestFormState): { body: RequestBody; sent: SentKeys } {
  const components = componentsToBody(state.components);
  const contacts = contactsToBody(state.contacts);
  const attachments = attachmentsToBody(state.attachments);
  return {
    body: {
      title: state.title.trim(),
      partner_organisation_ids: state.partner_organisation_ids,
      pledge_ids: state.pledge_ids,
      commitment_text: state.commitment_text.trim(),
      components: components.body,
      qualities: state.qualities,
      languages: state.languages,
      starts_on: state.starts_on,
      ends_on: state.ends_on,
      urgency: state.urgency,
      is_establishing_system: state.is_establishing_system,
      context: state.context.trim(),
      public_summary: state.public_summary.trim(),
      confidential_details: state.confidential_details.trim(),
      contacts: contacts.body,
      attachments: attachments.body,
      allow_publication: state.allow_publication,
    },
    sent: { components: components.keys, contacts: contacts.keys, attachments: attachments.keys },
  };
}

/** The fields the form places errors on (anything else is listed above the form). */
export const REQUEST_FIELDS = [
  "organisation_id",
  "title",
  "partner_organisation_ids",
  "pledge_ids",
  "commitment_text",
  "components",
  "qualities",
  "languages",
  "starts_on",
  "ends_on",
  "urgency",
  "is_establishing_system",
  "context",
  "public_summary",
  "confidential_details",
  "contacts",
  "attachments",
  "allow_publication",
] as const;
