import { ApiError } from "@/lib/api";

// Server field errors (`ApiError.fieldMap()`: `components.1.area_code` -> message) placed next to the inputs
// that caused them: plain fields, fields holding lists (`languages.2`), and repeatable rows.
export type FieldMap = Record<string, string>;

/** The error for `name`, or for any of its items (`languages.2` shows on the languages input). */
export function fieldError(map: FieldMap, name: string): string | undefined {
  if (map[name]) return map[name];
  const nested = Object.keys(map).find((key) => key.startsWith(`${name}.`));
  return nested ? map[nested] : undefined;
}

/** Errors of a list of rows by row position: `contacts.0.email` -> `{0: {email: "..."}}`. */
export function rowErrors(map: FieldMap, prefix: string): Record<number, FieldMap> {
  const rows: Record<number, FieldMap> = {};
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(\\d+)(?:\\.(.+))?$`);
  for (const [key, message] of Object.entries(map)) {
    const match = pattern.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const row = (rows[index] ??= {});
    const field = match[2] ?? "";
    // A message about a list inside a row (`components.0.modalities.1`) shows on that list's input.
    const head = field.split(".")[0] ?? "";
    if (!row[head]) row[head] = message;
  }
  return rows;
}

/**
 * Row errors keyed by each row's client key, given the keys in the order the rows were sent. Rows can be
 * reordered or removed after a failed save: the error stays with the row the server complained about.
 */
export function rowErrorsByKey(map: FieldMap, prefix: string, sentKeys: readonly string[]): Record<string, FieldMap> {
  const byIndex = rowErrors(map, prefix);
  const result: Record<string, FieldMap> = {};
  for (const [index, errors] of Object.entries(byIndex)) {
    const key = sentKeys[Number(index)];
    if (key !== undefined) result[key] = errors;
  }
  return result;
}

/** Field errors that no input of the form shows (none of `placed` is the field or its prefix). */
export function unplacedErrors(map: FieldMap, placed: readonly string[]): { field: string; message: string }[] {
  return Object.entries(map)
    .filter(([key]) => !placed.some((name) => key === name || key.startsWith(`${name}.`)))
    .map(([field, message]) => ({ field, message }));
}

/** Errors found before sending, shaped like the server's 422 so the form shows both the same way. */
export function clientValidationError(map: FieldMap): ApiError | null {
  const fields = Object.entries(map).map(([field, message]) => ({ field, message }));
  return fields.length ? new ApiError(422, { error: "ValidationError", detail: "", fields }) : null;
}
