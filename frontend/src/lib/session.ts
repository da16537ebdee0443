// Who is signed in: the `me` query every screen and the navigation read.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, type Schemas, unwrap } from "@/lib/api";

export type Me = Schemas["Me"];
export const ME_KEY = ["me"] as const;

// `/auth/session` answers 200 for visitors too (user null), so public pages make no failing request.
async function fetchMe(): Promise<Me | null> {
  const { data, response } = await api.GET("/api/v1/auth/session");
  if (!response.ok || !data) throw new ApiError(response.status, undefined);
  return data.user ?? null;
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      unwrap(api.POST("/api/v1/auth/sign-in", { body })),
    onSuccess: (me) => {
      client.clear();
      client.setQueryData(ME_KEY, me);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/sign-out")),
    onSettled: () => {
      client.clear();
      client.setQueryData(ME_KEY, null);
    },
  });
}

export type Role = "secretariat" | "unhcr" | "participant" | "focal_point";

export function hasRole(me: Me | null | undefined, role: Role): boolean {
  if (!me) return false;
  switch (role) {
    case "secretariat":
      return me.is_secretariat;
    case "unhcr":
      return me.is_unhcr;
    case "participant":
      return me.memberships.some((m) => !["unhcr_country_office", "unhcr_bureau", "secretariat"].includes(m.organisation_kind));
    case "focal_point":
      return me.memberships.some((m) => m.role === "focal_point");
  }
}
