// Bulk imports: templates, dry runs with their row report, imports and background jobs.
import type { RouteObject } from "react-router";
import { RequireSignedIn } from "@/components/Guards";
import type { NavItem } from "@/lib/features";
import { ImportsPage } from "./ImportsPage";
import { JobPage } from "./JobPage";

export const routes: RouteObject[] = [
  { path: "/imports", element: <RequireSignedIn><ImportsPage /></RequireSignedIn> },
  { path: "/imports/jobs/:id", element: <RequireSignedIn><JobPage /></RequireSignedIn> },
];

// Every signed-in user: the page says which kinds the API lets them import (none for some members).
export const navItems: NavItem[] = [{ to: "/imports", labelKey: "imports.nav", role: "signedIn", order: 75 }];
