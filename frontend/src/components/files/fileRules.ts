// What the platform accepts as a stored file, and how sizes and upload errors are shown. The server decides
// (it sniffs the type from the bytes and enforces MAX_FILE_BYTES); these checks only spare the user an upload
// that would be refused. The API does not publish its limits, so the defaults below mirror api/core/config.py
// (`max_file_bytes`) and api/files/sniffing.py (the allowed types); a caller may pass another `maxBytes`.
import { ApiError } from "@/lib/api";

/** The server's default limit for one file (api/core/config.py `max_file_bytes`). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Accepted content types, with the extensions the server keeps for each and a short label key. */
export const FILE_TYPES = [
  { type: "application/pdf", extensions: [".pdf"], label: "pdf" },
  { type: "image/png", extensions: [".png"], label: "png" },
  { type: "image/jpeg", extensions: [".jpg", ".jpeg"], label: "jpeg" },
  { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extensions: [".docx"], label: "docx" },
  { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extensions: [".xlsx"], label: "xlsx" },
  { type: "application/vnd.oasis.opendocument.text", extensions: [".odt"], label: "odt" },
  { type: "text/plain", extensions: [".txt", ".md", ".text"], label: "text" },
  { type: "text/csv", extensions: [".csv"], label: "csv" },
] as const;

export type FileTypeLabel = (typeof FILE_TYPES)[number]["label"];

/** The `accept` attribute of a file input: every accepted extension and content type. */
export const ACCEPT = [...FILE_TYPES.flatMap((t) => t.extensions), ...FILE_TYPES.map((t) => t.type)].join(",");

/** The label key of a stored file's (sniffed) content type, or null for anything else. */
export function fileTypeLabel(contentType: string | null | undefined): FileTypeLabel | null {
  if (!contentType) return null;
  const bare = contentType.split(";")[0]?.trim().toLowerCase();
  return FILE_TYPES.find((t) => t.type === bare)?.label ?? null;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}

/**
 * A size for people: bytes below 1 KB, then kB, MB, GB (binary multiples, one decimal at most), with the
 * unit localised by Intl ("10 MB", "10 Mo").
 */
export function formatFileSize(bytes: number, language: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1024) return new Intl.NumberFormat(language, { style: "unit", unit: "byte", unitDisplay: "long" }).format(bytes);
  const units = ["kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes / 1024;
  let index = 0;
  while (value >= 1024 && index < units.length - 1) {
    value /= 1024;
    index += 1;
  }
  // Never show "1024 kB": round first, then move up a unit if rounding reached it.
  const rounded = Math.round(value * 10) / 10;
  if (rounded >= 1024 && index < units.length - 1) {
    value = rounded / 1024;
    index += 1;
  }
  return new Intl.NumberFormat(language, {
    style: "unit",
    unit: units[index],
    unitDisplay: "short",
    maximumFractionDigits: 1,
  }).format(value);
}

export type FileProblem = { kind: "empty" } | { kind: "tooLarge"; maxBytes: number } | { kind: "type" };

/** Why a chosen file would be refused (checked before uploading), or null when it may be sent. */
export function checkFile(file: { name: string; size: number; type?: string }, maxBytes = MAX_FILE_BYTES): FileProblem | null {
  if (file.size === 0) return { kind: "empty" };
  if (file.size > maxBytes) return { kind: "tooLarge", maxBytes };
  const extension = extensionOf(file.name);
  const declared = (file.type ?? "").toLowerCase();
  const known = FILE_TYPES.some((t) => (t.extensions as readonly string[]).includes(extension) || t.type === declared);
  return known ? null : { kind: "type" };
}

/** An upload refused by the server, in the same terms as `checkFile` (plus the server's own words). */
export type UploadProblem = FileProblem | { kind: "typeRefused"; reason: string } | { kind: "server"; message: string };

export function uploadProblem(error: unknown, maxBytes = MAX_FILE_BYTES): UploadProblem {
  if (error instanceof ApiError) {
    // 413: above the file limit, or above the whole request's limit (then the envelope has no field).
    if (error.status === 413) return { kind: "tooLarge", maxBytes };
    const fileMessage = error.fieldMap().file;
    if (error.status === 422 && error.code === "UnsupportedFileType") return { kind: "typeRefused", reason: fileMessage ?? error.message };
    return { kind: "server", message: fileMessage ?? error.message };
  }
  return { kind: "server", message: error instanceof Error ? error.message : String(error) };
}
