import { Badge, type BadgeProps } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useMe } from "@/lib/session";
import { useUnreadCount } from "./api";

/**
 * The signed-in user's unread notification count as a small badge, with its meaning for screen readers;
 * nothing when there is none (or nobody is signed in). For the shell's header or any page that wants it.
 */
export function UnreadBadge(props: BadgeProps) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const unread = useUnreadCount(Boolean(me));
  const count = unread.data ?? 0;
  if (!me || count === 0) return null;
  return (
    <Badge color="red" variant="filled" size="sm" circle={count < 10} aria-label={t("notifications.unreadAria", { count })} data-testid="unread-badge" {...props}>
      {count > 99 ? "99+" : count}
    </Badge>
  );
}
