// Checks made before sending a request or offer, with messages in the UI language. The server checks
// everything again (and more: known codes, the scope and technical exchange rules); these only spare a
// round trip for the obvious, keyed like the server's errors (`components.1.area_code`).
import type { TFunction } from "i18next";
import type { Schemas } from "@/lib/api";
import type { FieldMap } from "@/lib/fieldErrors";

export type CheckedBody = {
  title?: string | null;
  components?: Schemas["ComponentIn"][] | null;
  contacts?: Schemas["Contact"][] | null;
  attachments?: Schemas["Attachment"][] | null;
  starts_on?: string | null;
  ends_on?: string | null;
  serves_any?: boolean | null;
  served_countries?: string[] | null;
  served_regions?: string[] | null;
  served_bureaux?: string[] | null;
};

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const URL = /^https?:\/\/[^\s<>"']+$/;
const MIN_TITLE = 3;

export function checkBody(body: CheckedBody, t: TFunction): FieldMap {
  const errors: FieldMap = {};
  if ((body.title ?? "").trim().length < MIN_TITLE) errors.title = t("commitments.validation.title", { min: MIN_TITLE });
  (body.components ?? []).forEach((c, i) => {
    if (!c.area_code) errors[`components.${i}.area_code`] = t("commitments.validation.area");
  });
  (body.contacts ?? []).forEach((c, i) => {
    if (!c.name.trim()) errors[`contacts.${i}.name`] = t("commitments.validation.required");
    if (c.email && !EMAIL.test(c.email)) errors[`contacts.${i}.email`] = t("commitments.validation.email");
  });
  (body.attachments ?? []).forEach((a, i) => {
    if (!a.title.trim()) errors[`attachments.${i}.title`] = t("commitments.validation.required");
    if (!URL.test(a.url)) errors[`attachments.${i}.url`] = t("commitments.validation.url");
  });
  if (body.starts_on && body.ends_on && body.ends_on < body.starts_on) errors.ends_on = t("commitments.validation.endBeforeStart");
  const scoped = body.serves_any === false;
  if (scoped && ![body.served_countries, body.served_regions, body.served_bureaux].some((list) => list && list.length > 0))
    errors.served_countries = t("commitments.validation.scope");
  return errors;
}
