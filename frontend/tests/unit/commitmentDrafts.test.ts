import i18n from "i18next";
import { describe, expect, test } from "vitest";
import {
  attachmentsToBody,
  componentsToBody,
  contactsToBody,
  emptyContact,
  moveItem,
} from "@/components/commitments/drafts";
import { checkBody } from "@/components/commitments/validation";
import { emptyOfferForm, offerBody } from "@/features/offers/offerForm";
import { draftingOrganisations, mayEdit } from "@/lib/commitments";
import type { Me } from "@/lib/session";

const t = i18n.getFixedT("en");

function me(memberships: Partial<Me["memberships"][number]>[], isSecretariat = false): Me {
  return {
    id: "u",
    email: "u@x.org",
    full_name: "U",
    preferred_language: "en",
    is_secretariat: isSecretariat,
    is_unhcr: false,
    unhcr_countries: [],
    memberships: memberships.map((m, i) => ({
      organisation_id: `org-${i}`,
      organisation_name: `Org ${i}`,
      organisation_kind: "state_institution",
      role: "focal_point",
      country_iso3: "NER",
      ...m,
    })),
  };
}

describe("repeatable rows", () => {
  test("blank contact rows are not sent, and the keys say which rows were", () => {
    const blank = emptyContact();
    const filled = { ...emptyContact(), name: " Awa ", email: "awa@example.org" };
    const sent = contactsToBody([blank, filled]);
    expect(sent.body).toEqual([{ name: "Awa", role: null, email: "awa@example.org", phone: null }]);
    expect(sent.keys).toEqual([filled.key]);
  });

  test("attachments and components keep their order and trim their text", () => {
    expect(attachmentsToBody([{ key: "a", title: " Plan ", url: " https://example.org/plan.pdf " }]).body).toEqual([
      { title: "Plan", url: "https://example.org/plan.pdf" },
    ]);
    const components = componentsToBody([
      { key: "x", area_code: "procedures.coi", modalities: ["training"], support_types: ["technical"], description: " COI unit " },
      { key: "y", area_code: null, modalities: [], support_types: [], description: "" },
    ]);
    expect(components.keys).toEqual(["x", "y"]);
    expect(components.body[0]).toEqual({ area_code: "procedures.coi", modalities: ["training"], support_types: ["technical"], description: "COI unit" });
    expect(components.body[1]?.area_code).toBe("");
  });

  test("rows move up and down, and stay put at the ends", () => {
    expect(moveItem(["a", "b", "c"], 2, 1)).toEqual(["a", "c", "b"]);
    expect(moveItem(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
  });
});

describe("checks before sending", () => {
  test("name the fields the way the server does, in the UI language", () => {
    const errors = checkBody(
      {
        title: "ab",
        components: [{ area_code: "procedures.coi" }, { area_code: "" }],
        contacts: [{ name: "", email: "nope" }],
        attachments: [{ title: "Plan", url: "ftp://x" }],
        starts_on: "2026-05-01",
        ends_on: "2026-04-01",
      },
      t,
    );
    expect(Object.keys(errors).sort()).toEqual(["attachments.0.url", "components.1.area_code", "contacts.0.email", "contacts.0.name", "ends_on", "title"]);
    expect(errors["components.1.area_code"]).toBe("Choose the area of this component.");
  });

  test("an offer serving chosen countries must name some", () => {
    const state = { ...emptyOfferForm("org"), title: "Peer review", serves_any: false };
    const { body } = offerBody({ ...state, components: [{ key: "k", area_code: "procedures.quality", modalities: [], support_types: ["technical"], description: "" }] });
    expect(checkBody(body, t)).toEqual({ served_countries: t("commitments.validation.scope") });
    // Serving any country sends the served lists empty, whatever was picked before.
    const anyCountry = offerBody({ ...state, serves_any: true, served_countries: ["MEX"] }).body;
    expect(anyCountry.served_countries).toEqual([]);
  });
});

describe("who drafts and edits", () => {
  test("requests come from State organisations; offers from States and stakeholders; viewers draft neither", () => {
    const user = me([
      { organisation_kind: "state_institution", role: "editor" },
      { organisation_kind: "stakeholder", role: "focal_point" },
      { organisation_kind: "state_government", role: "viewer" },
    ]);
    expect(draftingOrganisations(user, "request").map((m) => m.organisation_id)).toEqual(["org-0"]);
    expect(draftingOrganisations(user, "offer").map((m) => m.organisation_id)).toEqual(["org-0", "org-1"]);
  });

  test("owners edit drafts, submitted and rejected records; the Secretariat edits any", () => {
    const owner = me([{ role: "editor" }]);
    expect(mayEdit(owner, ["org-0"], "draft")).toBe(true);
    expect(mayEdit(owner, ["org-0"], "rejected")).toBe(true);
    expect(mayEdit(owner, ["org-0"], "validated")).toBe(false);
    expect(mayEdit(owner, ["other"], "draft")).toBe(false);
    expect(mayEdit(me([{ role: "viewer" }]), ["org-0"], "draft")).toBe(false);
    expect(mayEdit(me([], true), ["org-9"], "matched")).toBe(true);
  });
});
