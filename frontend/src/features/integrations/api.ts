// The integration clients endpoints (/api/v1/integrations/clients*) as queries and mutations.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDebouncedValue } from "@mantine/hooks";
import { api, type Schemas, unwrap } from "@/lib/api";

export type Client = Schemas["Client"];
export type ClientCreate = Schemas["ClientCreate"];
export type ClientCreated = Schemas["ClientCreated"];
export type ClientUpdate = Schemas["ClientUpdate"];
export type ClientSecret = Schemas["ClientSecret"];

const CLIENTS = ["integrations", "clients"] as const;

export function useClients() {
  return useQuery({ queryKey: CLIENTS, queryFn: () => unwrap(api.GET("/api/v1/integrations/clients")) });
}

export function useClient(id: string | undefined) {
  return useQuery({
    queryKey: [...CLIENTS, id],
    queryFn: () => unwrap(api.GET("/api/v1/integrations/clients/{client_id}", { params: { path: { client_id: id ?? "" } } })),
    enabled: Boolean(id),
  });
}

export function useCreateClient() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ClientCreate) => unwrap(api.POST("/api/v1/integrations/clients", { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: CLIENTS }),
  });
}

export function useUpdateClient(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ClientUpdate) =>
      unwrap(api.PATCH("/api/v1/integrations/clients/{client_id}", { params: { path: { client_id: id } }, body })),
    onSuccess: (updated) => {
      client.setQueryData([...CLIENTS, id], updated);
      void client.invalidateQueries({ queryKey: CLIENTS, exact: true });
    },
  });
}

export function useRotateSecret(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/integrations/clients/{client_id}/rotate-secret", { params: { path: { client_id: id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: CLIENTS }),
  });
}

export function useRevokeClient(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/integrations/clients/{client_id}/revoke", { params: { path: { client_id: id } } })),
    onSuccess: (revoked) => {
      client.setQueryData([...CLIENTS, id], revoked);
      void client.invalidateQueries({ queryKey: CLIENTS, exact: true });
    },
  });
}

/** Organisations matching what the user types (for the organisation a client acts for). */
export function useOrganisationSearch(search: string) {
  const [q] = useDebouncedValue(search.trim(), 300);
  return useQuery({
    queryKey: ["organisations", "picker", q, "any"],
    queryFn: () => unwrap(api.GET("/api/v1/organisations", { params: { query: { q: q || undefined, limit: 20 } } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function useOrganisation(id: string | null | undefined) {
  return useQuery({
    queryKey: ["organisations", "one", id],
    queryFn: () => unwrap(api.GET("/api/v1/organisations/{organisation_id}", { params: { path: { organisation_id: id ?? "" } } })),
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
  });
}

export type AdministeredSubscription = Schemas["AdministeredSubscription"];
export type Delivery = Schemas["Delivery"];
export type DeliveryStatus = Delivery["status"];

export function useClientSubscriptions(clientId: string) {
  return useQuery({
    queryKey: ["integrations", "subscriptions", clientId],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/integrations/clients/{client_id}/webhook-subscriptions", { params: { path: { client_id: clientId } } }),
      ),
  });
}

/** A subscription's delivery log, newest first, a page at a time. */
export function useDeliveries(subscriptionId: string, status: DeliveryStatus | null) {
  return useInfiniteQuery({
    queryKey: ["integrations", "deliveries", subscriptionId, status],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/integrations/webhook-subscriptions/{subscription_id}/deliveries", {
          params: {
            path: { subscription_id: subscriptionId },
            query: { status: status ?? undefined, cursor: pageParam, limit: 20 },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

function refreshWebhooks(client: ReturnType<typeof useQueryClient>, subscriptionId: string) {
  void client.invalidateQueries({ queryKey: ["integrations", "deliveries", subscriptionId] });
  void client.invalidateQueries({ queryKey: ["integrations", "subscriptions"] });
}

export function useRedeliver(subscriptionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(
        api.POST("/api/v1/integrations/webhook-subscriptions/{subscription_id}/deliveries/{delivery_id}/redeliver", {
          params: { path: { subscription_id: subscriptionId, delivery_id: deliveryId } },
        }),
      ),
    onSuccess: () => refreshWebhooks(client, subscriptionId),
  });
}

export function usePing(subscriptionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/integrations/webhook-subscriptions/{subscription_id}/ping", {
          params: { path: { subscription_id: subscriptionId } },
        }),
      ),
    onSettled: () => refreshWebhooks(client, subscriptionId),
  });
}
