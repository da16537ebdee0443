// A wide table that scrolls sideways on narrow screens; the scrolling region is focusable and named, so
// keyboard users can scroll it too (WCAG 2.1.1).
import { Table } from "@mantine/core";
import type { ReactNode } from "react";

export function ScrollTable({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0} role="region" aria-label={label}>
      {children}
    </Table.ScrollContainer>
  );
}
