import { Badge, type BadgeProps } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type CommitmentStatus, STATUS_COLORS, URGENCY_COLORS, type Urgency } from "@/lib/commitments";

/** A request's or offer's workflow status, coloured and translated. */
export function StatusBadge({ status, ...props }: { status: CommitmentStatus } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" miw="max-content" {...props}>
      {t(`commitments.statuses.${status}`)}
    </Badge>
  );
}

export function UrgencyBadge({ urgency, ...props }: { urgency: Urgency } & BadgeProps) {
  const { t } = useTranslation();
  return (
    <Badge color={URGENCY_COLORS[urgency]} variant="outline" miw="max-content" {...props}>
      {t(`commitments.urgencies.${urgency}`)}
    </Badge>
  );
}
