// The knowledge base on the client: types, query keys and the calls the screens share.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas, unwrap } from "@/lib/api";
import { unwrapWithETag } from "@/lib/commitments";
import type { Me } from "@/lib/session";

export type KnowledgeFull = Schemas["KnowledgeItem"];
export type KnowledgePublic = Schemas["KnowledgeItemPublic"];
export type KnowledgeView = KnowledgeFull | KnowledgePublic;
export type KnowledgeHit = Schemas["KnowledgeHit"];
export type KnowledgePage = Schemas["KnowledgePage"];
export type Facets = Schemas["Facets"];
export type Kind = KnowledgeHit["kind"];
export type ItemLanguage = KnowledgeHit["language"];
export type ItemStatus = KnowledgeHit["status"];
export type ItemAction = KnowledgeFull["allowed_actions"][number];
export type SnippetPart = Schemas["SnippetPart"];

export const KINDS: readonly Kind[] = ["project", "good_practice", "tool", "news", "event"];
export const ITEM_LANGUAGES: readonly ItemLanguage[] = ["en", "fr", "es"];
export const ITEM_STATUSES: readonly ItemStatus[] = ["draft", "in_review", "published", "archived"];
/** Each language named in itself: a reader looks for their own language's name. */
export const LANGUAGE_NAMES: Record<ItemLanguage, string> = { en: "English", fr: "Français", es: "Español" };

export const KNOWLEDGE_KEY = "knowledge";
export const itemKey = (id: string) => [KNOWLEDGE_KEY, "item", id] as const;

export type SearchParams = {
  q?: string;
  status?: ItemStatus[];
  kind?: Kind;
  area?: string;
  region?: string;
  country?: string;
  contributor_type?: string;
  language?: ItemLanguage;
  year?: number;
  facets?: boolean;
  limit?: number;
  cursor?: string;
};

export function searchItems(query: SearchParams): Promise<KnowledgePage> {
  return unwrap(api.GET("/api/v1/knowledge/items", { params: { query } }));
}

export function fetchItem(id: string): Promise<{ data: KnowledgeView; etag: string | null }> {
  return unwrapWithETag(api.GET("/api/v1/knowledge/items/{item_id}", { params: { path: { item_id: id } } }));
}

/** One item with its ETag; shared by the item page, the editor and the "also available in" of search hits. */
export function useKnowledgeItem(id: string, enabled = true) {
  return useQuery({ queryKey: itemKey(id), queryFn: () => fetchItem(id), enabled: enabled && Boolean(id), staleTime: 30_000 });
}

export type TransitionInput = { id: string; action: ItemAction; comment?: string; etag?: string | null };

/** Submit, return to draft (with a comment), publish, archive, republish; every knowledge query refreshes. */
export function useItemTransition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, comment, etag }: TransitionInput) =>
      unwrapWithETag(
        api.POST("/api/v1/knowledge/items/{item_id}/actions/{action}", {
          params: { path: { item_id: id, action }, header: etag ? { "If-Match": etag } : {} },
          body: comment?.trim() ? { comment: comment.trim() } : {},
        }),
      ),
    onSuccess: (saved, { id }) => client.setQueryData(itemKey(id), saved),
    onSettled: () => client.invalidateQueries({ queryKey: [KNOWLEDGE_KEY] }),
  });
}

const EDITING_ROLES = ["focal_point", "editor"];

/** The organisations on whose behalf the caller may write items (focal points and editors). */
export function authoringOrganisations(me: Me | null | undefined): Me["memberships"] {
  return (me?.memberships ?? []).filter((m) => EDITING_ROLES.includes(m.role));
}

/** Whether the caller may write items at all (the Secretariat, or a focal point or editor somewhere). */
export function mayAuthor(me: Me | null | undefined): boolean {
  return Boolean(me?.is_secretariat) || authoringOrganisations(me).length > 0;
}

/** Whether the caller may add a language version (the API decides; this only hides a button that would fail). */
export function mayTranslate(me: Me | null | undefined, item: KnowledgeView): boolean {
  if (!me || item.view !== "full") return false;
  if (me.is_secretariat) return true;
  return item.organisation !== null && authoringOrganisations(me).some((m) => m.organisation_id === item.organisation?.id);
}

/** Languages an item has no version in yet (as far as the caller can see). */
export function missingLanguages(item: KnowledgeView): ItemLanguage[] {
  const present = new Set([item.language, ...item.also_available_in.map((v) => v.language)]);
  return ITEM_LANGUAGES.filter((language) => !present.has(language));
}
