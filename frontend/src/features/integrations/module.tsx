// The Secretariat's integration clients (OAuth2 client credentials), their secrets and webhooks.
import type { RouteObject } from "react-router";
import { RequireSignedIn } from "@/components/Guards";
import type { NavItem } from "@/lib/features";
import { ClientDetailPage } from "./ClientDetailPage";
import { ClientsPage } from "./ClientsPage";

const secretariat = (element: React.ReactNode) => <RequireSignedIn role="secretariat">{element}</RequireSignedIn>;

export const routes: RouteObject[] = [
  { path: "/admin/integrations", element: secretariat(<ClientsPage />) },
  { path: "/admin/integrations/:id", element: secretariat(<ClientDetailPage />) },
];

export const navItems: NavItem[] = [
  { to: "/admin/integrations", labelKey: "integrations.nav", role: "secretariat", section: "admin", order: 60 },
];
