// Stocktaking figures for the Secretariat. The page (and the chart library) load as their own chunk.
import { lazy, Suspense } from "react";
import type { RouteObject } from "react-router";
import { RequireSignedIn } from "@/components/Guards";
import { Loading } from "@/components/Loading";
import type { NavItem } from "@/lib/features";

const StocktakingPage = lazy(() => import("./StocktakingPage").then((m) => ({ default: m.StocktakingPage })));

export const routes: RouteObject[] = [
  {
    path: "/stocktaking",
    element: (
      <RequireSignedIn role="secretariat">
        <Suspense fallback={<Loading />}>
          <StocktakingPage />
        </Suspense>
      </RequireSignedIn>
    ),
  },
];

export const navItems: NavItem[] = [{ to: "/stocktaking", labelKey: "stats.nav", role: "secretariat", order: 95 }];
