// The in-app notification inbox. The unread count shows on the page; `UnreadBadge` can be placed anywhere.
import type { RouteObject } from "react-router";
import { RequireSignedIn } from "@/components/Guards";
import type { NavItem } from "@/lib/features";
import { NotificationsPage } from "./NotificationsPage";

export { UnreadBadge } from "./UnreadBadge";

export const routes: RouteObject[] = [{ path: "/notifications", element: <RequireSignedIn><NotificationsPage /></RequireSignedIn> }];

export const navItems: NavItem[] = [{ to: "/notifications", labelKey: "notifications.nav", role: "signedIn", order: 190 }];
