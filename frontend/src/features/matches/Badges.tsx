import { Badge, type BadgeProps, Box, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { CONSENT_COLORS, type ConsentStatus, type Light, LIGHT_COLORS, MATCH_STATUS_COLORS, type MatchStatus } from "./logic";

export function MatchStatusBadge({ status, ...props }: { status: MatchStatus } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={MATCH_STATUS_COLORS[status]} variant="light" miw="max-content" tt="none" {...props} data-testid="match-status">
      {t(`matches.statuses.${status}`)}
    </Badge>
  );
}

export function ConsentBadge({ status, ...props }: { status: ConsentStatus } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={CONSENT_COLORS[status]} variant="light" tt="none" miw="max-content" {...props}>
      {t(`matches.consent.statuses.${status}`)}
    </Badge>
  );
}

/** A traffic light: a coloured dot and its meaning in words (the colour is never the only signal). */
export function TrafficLight({ light }: { light: Light }) {
  const { t } = useTranslation();
  if (light === "none") return <Text size="xs" c="dimmed">{t("matches.light.none")}</Text>;
  return (
    <Group gap={6} wrap="nowrap" data-testid="traffic-light" data-light={light}>
      <Box w={12} h={12} style={{ borderRadius: "50%", background: `var(--mantine-color-${LIGHT_COLORS[light]}-7)`, flexShrink: 0 }} aria-hidden />
      <Text size="xs" fw={light === "red" ? 700 : 400} c={light === "red" ? "red.9" : undefined}>
        {t(`matches.light.${light}`)}
      </Text>
    </Group>
  );
}

/** Why a facilitator should look at a match now, each reason as a badge. */
export function AttentionBadges({ attention }: { attention: string[] | undefined }) {
  const { t } = useTranslation();
  if (!attention || attention.length === 0) return null;
  const color = (reason: string) =>
    reason === "deadline_passed" || reason === "next_action_overdue" ? "red" : reason === "deadline_soon" ? "orange" : "yellow";
  return (
    <Group gap={4}>
      {attention.map((reason) => (
        <Badge key={reason} color={color(reason)} variant="light" tt="none" size="sm">
          {t(`matches.attention.${reason}`, { defaultValue: reason })}
        </Badge>
      ))}
    </Group>
  );
}
