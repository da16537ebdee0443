// Feature modules. Each folder under `src/features/` may have a `module.tsx` exporting its routes and
// navigation entries, and a `locales/{en,fr,es}.json` with its texts under one top-level key named after the
// feature. The shell collects them here, so adding a screen never means editing a shared route or nav list.
import type { RouteObject } from "react-router";
import type { Role } from "@/lib/session";

export type NavItem = {
  to: string;
  labelKey: string;
  role?: Role | "signedIn" | "public";
  section?: "main" | "admin";
  /** Position in the menu: lower comes first; the shell's own entries use multiples of 10. */
  order?: number;
};

export type FeatureModule = {
  routes?: RouteObject[];
  navItems?: NavItem[];
};

const modules = import.meta.glob<FeatureModule>("../features/*/module.tsx", { eager: true });

export const featureRoutes: RouteObject[] = Object.keys(modules)
  .sort()
  .flatMap((path) => modules[path]?.routes ?? []);

export const featureNavItems: NavItem[] = Object.keys(modules)
  .sort()
  .flatMap((path) => modules[path]?.navItems ?? []);
