// The signed-in user's notification inbox (/api/v1/notifications).
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

export const NOTIFICATIONS_KEY = ["notifications"] as const;

export function useInbox(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: [...NOTIFICATIONS_KEY, "inbox", unreadOnly],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/notifications", { params: { query: { unread_only: unreadOnly, limit: 25, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** The unread count alone (one row fetched), refreshed every minute while shown. */
export function useUnreadCount(enabled = true) {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, "unread"],
    queryFn: async () => (await unwrap(api.GET("/api/v1/notifications", { params: { query: { unread_only: true, limit: 1 } } }))).unread,
    enabled,
    refetchInterval: 60_000,
    staleTime: 15_000,
  });
}

/** Mark some notifications read (`ids`), or all of them (no ids). */
export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids?: string[]) => unwrap(api.POST("/api/v1/notifications/read", { body: ids ? { ids } : {} })),
    onSettled: () => client.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
  });
}
