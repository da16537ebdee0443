// Progress reports on matches and pledges: the schedules with their traffic lights, the reports' drafting,
// attestation, review and publication, and the list of reports to follow. The pages load as their own chunk.
import { lazy, type ReactNode, Suspense } from "react";
import type { RouteObject } from "react-router";
import { RequireSignedIn } from "@/components/Guards";
import { Loading } from "@/components/Loading";
import type { NavItem } from "@/lib/features";

const ReportsListPage = lazy(() => import("./ReportsListPage").then((m) => ({ default: m.ReportsListPage })));
const ReportPage = lazy(() => import("./ReportPage").then((m) => ({ default: m.ReportPage })));
const MatchReportsPage = lazy(() => import("./MatchReportsPage").then((m) => ({ default: m.MatchReportsPage })));
const PledgeReportsPage = lazy(() => import("./PledgeReportsPage").then((m) => ({ default: m.PledgeReportsPage })));

const page = (element: ReactNode) => (
  <RequireSignedIn>
    <Suspense fallback={<Loading />}>{element}</Suspense>
  </RequireSignedIn>
);

export const routes: RouteObject[] = [
  { path: "/reports", element: page(<ReportsListPage />) },
  { path: "/reports/:id", element: page(<ReportPage />) },
  { path: "/matches/:id/reports", element: page(<MatchReportsPage />) },
  { path: "/pledges/:id/reports", element: page(<PledgeReportsPage />) },
];

export const navItems: NavItem[] = [{ to: "/reports", labelKey: "reports.nav", role: "signedIn", order: 60 }];
