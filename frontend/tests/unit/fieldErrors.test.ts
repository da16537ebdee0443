import { describe, expect, test } from "vitest";
import { ApiError } from "@/lib/api";
import { clientValidationError, fieldError, rowErrors, rowErrorsByKey, unplacedErrors } from "@/lib/fieldErrors";

const serverErrors = new ApiError(422, {
  error: "ValidationError",
  detail: "Invalid input",
  fields: [
    { field: "body.title", message: "Too short" },
    { field: "body.components.1.area_code", message: "Unknown or retired area code 'x'" },
    { field: "body.components.1.modalities.0", message: "Unknown modalities code 'y'" },
    { field: "body.components", message: "Every offer must include technical exchange" },
    { field: "body.contacts.0.email", message: "Not an e-mail" },
    { field: "body.languages.2", message: "Unknown languages code 'zz'" },
    { field: "body.partner_organisation_ids.0", message: "No such organisation" },
    { field: "body.mystery", message: "Something else" },
  ],
}).fieldMap();

describe("field errors", () => {
  test("a field shows its own error, or the first error about one of its items", () => {
    expect(fieldError(serverErrors, "title")).toBe("Too short");
    expect(fieldError(serverErrors, "languages")).toBe("Unknown languages code 'zz'");
    expect(fieldError(serverErrors, "qualities")).toBeUndefined();
  });

  test("row errors are grouped by row position and field, lists inside a row included", () => {
    expect(rowErrors(serverErrors, "components")).toEqual({
      1: { area_code: "Unknown or retired area code 'x'", modalities: "Unknown modalities code 'y'" },
    });
    expect(rowErrors(serverErrors, "contacts")).toEqual({ 0: { email: "Not an e-mail" } });
  });

  test("row errors follow the row that was sent, whatever its position now", () => {
    // Sent as [a, b]: the server complains about position 1, which is row "b" wherever it moved since.
    expect(rowErrorsByKey(serverErrors, "components", ["a", "b"])).toEqual({
      b: { area_code: "Unknown or retired area code 'x'", modalities: "Unknown modalities code 'y'" },
    });
    expect(rowErrorsByKey(serverErrors, "components", ["a"])).toEqual({});
  });

  test("errors no input shows are listed apart", () => {
    const placed = ["title", "components", "contacts", "languages", "partner_organisation_ids"];
    expect(unplacedErrors(serverErrors, placed)).toEqual([{ field: "mystery", message: "Something else" }]);
  });

  test("client-side findings look like a server 422", () => {
    expect(clientValidationError({})).toBeNull();
    const error = clientValidationError({ "components.0.area_code": "Choose the area" });
    expect(error?.status).toBe(422);
    expect(error?.fieldMap()).toEqual({ "components.0.area_code": "Choose the area" });
  });
});
