import type { CSSProperties } from "react";

/**
 * Field error texts in a shade that reaches 4.5:1 on white. Mantine draws them with `--mantine-color-error`
 * (red 6, 3.3:1); set on a form, this darker value applies to every input inside it.
 */
export const READABLE_ERRORS = { "--mantine-color-error": "var(--mantine-color-red-9)" } as CSSProperties;
