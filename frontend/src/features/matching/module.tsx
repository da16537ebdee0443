// The Secretariat's matching tools: console (suggestions and proposals), allocation runs, gaps and outreach,
// the coverage heatmap and the criteria editor.
import type { RouteObject } from "react-router";
import { RequireSignedIn } from "@/components/Guards";
import type { NavItem } from "@/lib/features";
import { AllocationRunPage } from "./AllocationRunPage";
import { AllocationsPage } from "./AllocationsPage";
import { ConsolePage } from "./ConsolePage";
import { CoveragePage } from "./CoveragePage";
import { CriteriaPage } from "./CriteriaPage";
import { GapsPage } from "./GapsPage";

const secretariat = (element: React.ReactNode) => <RequireSignedIn role="secretariat">{element}</RequireSignedIn>;

export const routes: RouteObject[] = [
  { path: "/matching", element: secretariat(<ConsolePage />) },
  { path: "/matching/allocations", element: secretariat(<AllocationsPage />) },
  { path: "/matching/allocations/:id", element: secretariat(<AllocationRunPage />) },
  { path: "/matching/gaps", element: secretariat(<GapsPage />) },
  { path: "/matching/coverage", element: secretariat(<CoveragePage />) },
  { path: "/matching/criteria", element: secretariat(<CriteriaPage />) },
];

export const navItems: NavItem[] = [{ to: "/matching", labelKey: "matching.nav.menu", role: "secretariat", order: 92 }];
