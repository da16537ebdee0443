import { render, screen } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { describe, expect, test } from "vitest";
import { ExportButtons, exportHref } from "@/components/ExportButtons";

describe("list downloads", () => {
  test("carry the list's filters, repeat list values, and leave out paging and empty values", () => {
    const href = exportHref("/api/v1/support-requests/export", { q: "équipe", status: ["validated", "matched"], country: "", limit: 25, cursor: "abc", region: undefined }, "xlsx");
    const url = new URL(href, "http://localhost");
    expect(url.pathname).toBe("/api/v1/support-requests/export");
    expect(url.searchParams.get("q")).toBe("équipe");
    expect(url.searchParams.getAll("status")).toEqual(["validated", "matched"]);
    expect(url.searchParams.get("format")).toBe("xlsx");
    for (const name of ["country", "limit", "cursor", "region"]) expect(url.searchParams.has(name)).toBe(false);
  });

  test("offer CSV and XLSX as named links", () => {
    render(
      <MantineProvider>
        <ExportButtons path="/api/v1/pledges/export" query={{ stage: "planning" }} />
      </MantineProvider>,
    );
    expect(screen.getByRole("link", { name: "Download CSV" }).getAttribute("href")).toBe("/api/v1/pledges/export?stage=planning&format=csv");
    expect(screen.getByRole("link", { name: "Download XLSX" }).getAttribute("href")).toBe("/api/v1/pledges/export?stage=planning&format=xlsx");
  });
});
