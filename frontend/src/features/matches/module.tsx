// Matches: the list, the Secretariat's pipeline board, the facilitators' queue, the focal points' consent
// inbox and the match page.
import type { ReactNode } from "react";
import { Navigate, type RouteObject } from "react-router";
import { RequireSignedIn } from "@/components/Guards";
import type { NavItem } from "@/lib/features";
import { hasRole, useMe } from "@/lib/session";
import { BoardPage } from "./BoardPage";
import { ConsentInboxPage } from "./ConsentInboxPage";
import { MatchesListPage } from "./MatchesListPage";
import { MatchPage } from "./MatchPage";
import { QueuePage } from "./QueuePage";

/** The Secretariat and UNHCR offices (who facilitate matches). */
function StaffOnly({ children }: { children: ReactNode }) {
  const { data: me } = useMe();
  if (me && !(hasRole(me, "secretariat") || hasRole(me, "unhcr"))) return <Navigate to="/matches" replace />;
  return <>{children}</>;
}

export const routes: RouteObject[] = [
  { path: "/matches", element: <RequireSignedIn><MatchesListPage /></RequireSignedIn> },
  { path: "/matches/board", element: <RequireSignedIn role="secretariat"><BoardPage /></RequireSignedIn> },
  { path: "/matches/queue", element: <RequireSignedIn><StaffOnly><QueuePage /></StaffOnly></RequireSignedIn> },
  { path: "/matches/consents", element: <RequireSignedIn><ConsentInboxPage /></RequireSignedIn> },
  // Not behind sign-in: the API decides what the caller sees (a published match goes to the portal's page).
  { path: "/matches/:id", element: <MatchPage /> },
];

export const navItems: NavItem[] = [
  { to: "/matches", labelKey: "matches.nav.matches", role: "signedIn", order: 50 },
  { to: "/matches/consents", labelKey: "matches.nav.inbox", role: "participant", order: 51 },
  { to: "/matches/queue", labelKey: "matches.nav.queue", role: "unhcr", order: 52 },
  { to: "/matches/board", labelKey: "matches.nav.board", role: "secretariat", order: 93 },
];
