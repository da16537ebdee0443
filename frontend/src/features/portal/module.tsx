// The public portal's pages (the home page itself is `features/home/HomePage.tsx`): published matches,
// open to everyone, readable from a shared link.
import type { RouteObject } from "react-router";
import type { NavItem } from "@/lib/features";
import { PublicMatchesPage } from "./PublicMatchesPage";
import { PublicMatchPage } from "./PublicMatchPage";

export const routes: RouteObject[] = [
  { path: "/portal/matches", element: <PublicMatchesPage /> },
  { path: "/portal/matches/:id", element: <PublicMatchPage /> },
];

// Named "Published matches": signed-in users also have the workspace's own "Matches" list.
export const navItems: NavItem[] = [{ to: "/portal/matches", labelKey: "portal.nav.matches", role: "public", order: 45 }];
