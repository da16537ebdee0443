import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { Loading } from "@/components/Loading";
import { hasRole, type Role, useMe } from "@/lib/session";

/** Renders its children only for a signed-in user (with `role`, when given); otherwise sends to sign-in. */
export function RequireSignedIn({ role, children }: { role?: Role; children: ReactNode }) {
  const { data: me, isLoading } = useMe();
  const location = useLocation();
  if (isLoading) return <Loading />;
  if (!me) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (role && !hasRole(me, role)) return <Navigate to="/" replace />;
  return <>{children}</>;
}
