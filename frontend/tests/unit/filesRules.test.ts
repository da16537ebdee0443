import { describe, expect, test } from "vitest";
import { ACCEPT, checkFile, fileTypeLabel, formatFileSize, MAX_FILE_BYTES, uploadProblem } from "@/components/files/fileRules";
import { ApiError } from "@/lib/api";

describe("file sizes for people", () => {
  test("bytes, then binary kB, MB, GB with one decimal at most, localised", () => {
    expect(formatFileSize(0, "en")).toBe("0 bytes");
    expect(formatFileSize(1, "en")).toBe("1 byte");
    expect(formatFileSize(1023, "en")).toBe("1,023 bytes");
    expect(formatFileSize(1024, "en")).toBe("1 kB");
    expect(formatFileSize(1536, "en")).toBe("1.5 kB");
    expect(formatFileSize(MAX_FILE_BYTES, "en")).toBe("10 MB");
    // French separates the unit with a narrow no-break space.
    expect(formatFileSize(MAX_FILE_BYTES, "fr").replace(/\s/gu, " ")).toBe("10 Mo");
    expect(formatFileSize(1536, "fr").replace(/\s/gu, " ")).toBe("1,5 ko");
    expect(formatFileSize(3 * 1024 ** 3, "en")).toBe("3 GB");
    // Rounding never shows "1024 kB".
    expect(formatFileSize(1024 * 1024 - 1, "en")).toBe("1 MB");
    expect(formatFileSize(-1, "en")).toBe("");
  });
});

describe("checks before uploading", () => {
  test("the size limit, empty files and the accepted types", () => {
    expect(checkFile({ name: "report.pdf", size: 1000, type: "application/pdf" })).toBeNull();
    expect(checkFile({ name: "Photo.JPEG", size: 1000, type: "" })).toBeNull();
    expect(checkFile({ name: "data", size: 1000, type: "text/csv" })).toBeNull();
    expect(checkFile({ name: "report.pdf", size: 0 })).toEqual({ kind: "empty" });
    expect(checkFile({ name: "report.pdf", size: MAX_FILE_BYTES })).toBeNull();
    expect(checkFile({ name: "report.pdf", size: MAX_FILE_BYTES + 1 })).toEqual({ kind: "tooLarge", maxBytes: MAX_FILE_BYTES });
    expect(checkFile({ name: "small.pdf", size: 2048 }, 1024)).toEqual({ kind: "tooLarge", maxBytes: 1024 });
    expect(checkFile({ name: "setup.exe", size: 1000, type: "application/x-msdownload" })).toEqual({ kind: "type" });
    expect(checkFile({ name: "drawing.svg", size: 1000, type: "image/svg+xml" })).toEqual({ kind: "type" });
    expect(ACCEPT).toContain(".docx");
    expect(ACCEPT).toContain("application/pdf");
  });

  test("stored types get a label; others none", () => {
    expect(fileTypeLabel("application/pdf")).toBe("pdf");
    expect(fileTypeLabel("text/plain; charset=utf-8")).toBe("text");
    expect(fileTypeLabel("application/zip")).toBeNull();
    expect(fileTypeLabel(null)).toBeNull();
  });
});

describe("the server's refusals", () => {
  test("413 is the size limit; 422 UnsupportedFileType gives the server's reason; others their message", () => {
    expect(uploadProblem(new ApiError(413, { error: "PayloadTooLarge", detail: "The request body is larger than 26214400 bytes" }))).toEqual({
      kind: "tooLarge",
      maxBytes: MAX_FILE_BYTES,
    });
    const refused = new ApiError(422, {
      error: "UnsupportedFileType",
      detail: "HTML, SVG and other markup files are not accepted",
      fields: [{ field: "file", message: "HTML, SVG and other markup files are not accepted" }],
    });
    expect(uploadProblem(refused)).toEqual({ kind: "typeRefused", reason: "HTML, SVG and other markup files are not accepted" });
    const empty = new ApiError(422, { error: "ValidationError", detail: "The file is empty", fields: [{ field: "body.file", message: "The file is empty" }] });
    expect(uploadProblem(empty)).toEqual({ kind: "server", message: "The file is empty" });
    expect(uploadProblem(new ApiError(403, { error: "Forbidden", detail: "You may not attach files to this record" }))).toEqual({
      kind: "server",
      message: "You may not attach files to this record",
    });
    expect(uploadProblem(new Error("Failed to fetch"))).toEqual({ kind: "server", message: "Failed to fetch" });
  });
});
