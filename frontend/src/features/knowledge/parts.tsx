// Small pieces the knowledge screens share: badges, snippets, "also available in" links.
import { Anchor, Badge, type BadgeProps, Group, Text } from "@mantine/core";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type ItemLanguage, type ItemStatus, type Kind, LANGUAGE_NAMES, type SnippetPart } from "./api";

const KIND_COLORS: Record<Kind, string> = { project: "blue", good_practice: "teal", tool: "grape", news: "orange", event: "pink" };
const STATUS_COLORS: Record<ItemStatus, string> = { draft: "gray", in_review: "indigo", published: "green", archived: "dark" };

export function KindBadge({ kind, ...props }: { kind: Kind } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={KIND_COLORS[kind]} variant="light" miw="max-content" {...props}>
      {t(`knowledge.kinds.${kind}`)}
    </Badge>
  );
}

export function ItemStatusBadge({ status, ...props }: { status: ItemStatus } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="outline" miw="max-content" {...props}>
      {t(`knowledge.statuses.${status}`)}
    </Badge>
  );
}

/** The language an item is written in, named in that language (and marked up as such). */
export function LanguageBadge({ language, ...props }: { language: ItemLanguage } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color="gray" variant="outline" tt="none" miw="max-content" title={t("knowledge.fields.language")} {...props}>
      <span lang={language}>{LANGUAGE_NAMES[language]}</span>
    </Badge>
  );
}

/**
 * A search snippet: plain-text parts from the API, the matched words in <mark>. Parts are text, never HTML:
 * React escapes them, so markup stored in an item shows as written.
 */
export function Snippet({ parts }: { parts: readonly SnippetPart[] }) {
  return (
    <>
      {parts.map((part, index) =>
        part.highlight ? <mark key={index}>{part.text}</mark> : <Fragment key={index}>{part.text}</Fragment>,
      )}
    </>
  );
}

export type VersionLink = { id: string; language: ItemLanguage; status?: ItemStatus };

/** "Also available in: Français, Español", each a link to that version, labelled in its own language. */
export function AlsoAvailableIn({ versions, size = "sm" }: { versions: readonly VersionLink[]; size?: "xs" | "sm" | "md" }) {
  const { t } = useTranslation();
  if (versions.length === 0) return null;
  return (
    <Group gap={6} wrap="wrap" data-testid="also-available-in">
      <Text size={size} c="dimmed" component="span">
        {t("knowledge.alsoAvailableIn")}
      </Text>
      {versions.map((version, index) => (
        <Fragment key={version.id}>
          <Anchor component={Link} to={`/knowledge/${version.id}`} size={size} lang={version.language} hrefLang={version.language}>
            {LANGUAGE_NAMES[version.language]}
          </Anchor>
          {version.status && version.status !== "published" && (
            <Text size="xs" c="dimmed" component="span">
              ({t(`knowledge.statuses.${version.status}`)})
            </Text>
          )}
          {index < versions.length - 1 && (
            <Text size={size} c="dimmed" component="span" aria-hidden>
              ·
            </Text>
          )}
        </Fragment>
      ))}
    </Group>
  );
}
