// CSV and XLSX downloads of a list with the list's own filters. The server applies the same visibility
// and the same read schema as the list, so a download never carries more than the screen.
import { Button, Group } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** `path?query&format=...`, leaving out empty values and repeating list values. */
export function exportHref(path: string, query: Record<string, QueryValue>, format: "csv" | "xlsx"): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (name === "limit" || name === "cursor") continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== "") params.append(name, String(item));
    }
  }
  params.set("format", format);
  return `${path}?${params.toString()}`;
}

export function ExportButtons({ path, query }: { path: string; query: Record<string, QueryValue> }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-testid="export-buttons">
      {(["csv", "xlsx"] as const).map((format) => (
        <Button
          key={format}
          component="a"
          href={exportHref(path, query, format)}
          download
          variant="default"
          size="xs"
          leftSection={<IconDownload size={14} aria-hidden />}
        >
          {t(format === "csv" ? "app.downloadCsv" : "app.downloadXlsx")}
        </Button>
      ))}
    </Group>
  );
}
