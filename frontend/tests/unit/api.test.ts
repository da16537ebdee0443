import { describe, expect, test } from "vitest";
import { ApiError, readCookie } from "@/lib/api";
import { formatDate, localised } from "@/lib/format";

describe("ApiError", () => {
  test("keeps the envelope's code, detail and field errors", () => {
    const error = new ApiError(422, {
      error: "ValidationError",
      detail: "Invalid input: body.email",
      fields: [{ field: "body.components.0.area_code", message: "Unknown area" }],
    });
    expect(error.status).toBe(422);
    expect(error.code).toBe("ValidationError");
    expect(error.message).toBe("Invalid input: body.email");
    expect(error.fieldMap()).toEqual({ "components.0.area_code": "Unknown area" });
  });

  test("falls back to a generic message without an envelope", () => {
    expect(new ApiError(502, undefined).message).toBe("Request failed (502)");
  });
});

describe("cookies", () => {
  test("reads a cookie by name", () => {
    document.cookie = "acsg_csrf=abc123";
    document.cookie = "other=x";
    expect(readCookie("acsg_csrf")).toBe("abc123");
    expect(readCookie("missing")).toBeUndefined();
  });
});

describe("localisation helpers", () => {
  test("pick the label in the UI language, falling back to English", () => {
    const country = { name_en: "Germany", name_fr: "Allemagne", name_es: "Alemania" };
    expect(localised(country, "fr")).toBe("Allemagne");
    expect(localised(country, "es-MX")).toBe("Germany");
    expect(localised({ label_en: "Training", label_fr: "Formation", label_es: "Formación" }, "es", "label")).toBe("Formación");
  });

  test("formats dates for the language", () => {
    expect(formatDate("2026-04-05T10:00:00Z", "fr")).toMatch(/avr/);
    expect(formatDate(null, "en")).toBe("");
  });
});
