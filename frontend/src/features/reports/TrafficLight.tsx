import { Badge, type BadgeProps } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconClockExclamation } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { LIGHT_COLORS, type ReportStatus, STATUS_COLORS, type TrafficLightValue } from "./reportState";

const ICONS = { on_track: IconCircleCheck, due_soon: IconClockExclamation, overdue: IconAlertTriangle } as const;

/** On track / due soon / overdue: a coloured light with an icon and words (colour is never the only cue). */
export function TrafficLight({ value, ...props }: { value: TrafficLightValue } & BadgeProps) {
  const { t } = useTranslation();
  const Icon = ICONS[value];
  return (
    <Badge
      color={LIGHT_COLORS[value]}
      variant="light"
      leftSection={<Icon size={14} aria-hidden />}
      miw="max-content"
      tt="none"
      data-testid="traffic-light"
      data-value={value}
      {...props}
    >
      {t(`reports.lights.${value}`)}
    </Badge>
  );
}

export function ReportStatusBadge({ status, ...props }: { status: ReportStatus } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" miw="max-content" data-testid="report-status" {...props}>
      {t(`reports.statuses.${status}`)}
    </Badge>
  );
}
