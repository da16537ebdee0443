import { ActionIcon, Button, Group, NumberInput, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { FieldMap } from "@/lib/fieldErrors";
import { formatNumber } from "@/lib/format";
import { emptyIndicator, type IndicatorDraft, indicatorProgress, MAX_INDICATORS, toNumber } from "./reportDraft";

/** "80 %" of the way from baseline to target, or a dash. */
export function ProgressText({ baseline, target, actual }: { baseline: number | null; target: number | null; actual: number | null }) {
  const { i18n } = useTranslation();
  const progress = indicatorProgress({ baseline, target, actual });
  if (progress === null)
    return (
      <Text size="sm" c="dimmed" aria-hidden>
        –
      </Text>
    );
  return <Text size="sm">{new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 0 }).format(progress)}</Text>;
}

/**
 * The indicators table: one row per indicator (name, unit, baseline, target, actual), with the progress
 * towards the target computed as the numbers are typed. Errors are keyed by row (client key).
 */
export function IndicatorsEditor({
  rows,
  onChange,
  errors,
  disabled,
}: {
  rows: IndicatorDraft[];
  onChange: (rows: IndicatorDraft[]) => void;
  errors: Record<string, FieldMap>;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const update = (key: string, patch: Partial<IndicatorDraft>) => onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const remove = (key: string) => onChange(rows.filter((row) => row.key !== key));
  const number = (row: IndicatorDraft, field: "baseline" | "target" | "actual", index: number) => (
    <NumberInput
      aria-label={t(`reports.indicators.${field}Aria`, { number: index + 1 })}
      value={row[field]}
      onChange={(value) => update(row.key, { [field]: value })}
      error={errors[row.key]?.[field]}
      decimalSeparator={formatNumber(1.5, i18n.language).charAt(1)}
      hideControls
      disabled={disabled}
      miw={90}
    />
  );

  return (
    <div data-testid="indicators-editor">
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t("reports.indicators.none")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("reports.indicators.name")}</Table.Th>
                <Table.Th>{t("reports.indicators.unit")}</Table.Th>
                <Table.Th>{t("reports.indicators.baseline")}</Table.Th>
                <Table.Th>{t("reports.indicators.target")}</Table.Th>
                <Table.Th>{t("reports.indicators.actual")}</Table.Th>
                <Table.Th>{t("reports.indicators.progress")}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t("app.actions")}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, index) => (
                <Table.Tr key={row.key} data-testid="indicator-row">
                  <Table.Td miw={200}>
                    <TextInput
                      aria-label={t("reports.indicators.nameAria", { number: index + 1 })}
                      value={row.name}
                      onChange={(e) => update(row.key, { name: e.currentTarget.value })}
                      error={errors[row.key]?.name}
                      maxLength={200}
                      disabled={disabled}
                    />
                  </Table.Td>
                  <Table.Td miw={110}>
                    <TextInput
                      aria-label={t("reports.indicators.unitAria", { number: index + 1 })}
                      value={row.unit}
                      onChange={(e) => update(row.key, { unit: e.currentTarget.value })}
                      error={errors[row.key]?.unit}
                      maxLength={200}
                      disabled={disabled}
                    />
                  </Table.Td>
                  <Table.Td>{number(row, "baseline", index)}</Table.Td>
                  <Table.Td>{number(row, "target", index)}</Table.Td>
                  <Table.Td>{number(row, "actual", index)}</Table.Td>
                  <Table.Td>
                    <ProgressText baseline={toNumber(row.baseline)} target={toNumber(row.target)} actual={toNumber(row.actual)} />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t("reports.indicators.removeAria", { number: index + 1 })}
                      onClick={() => remove(row.key)}
                      disabled={disabled}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange([...rows, emptyIndicator()])}
          disabled={disabled || rows.length >= MAX_INDICATORS}
        >
          {t("reports.indicators.add")}
        </Button>
        {rows.length >= MAX_INDICATORS && (
          <Text size="xs" c="dimmed">
            {t("reports.indicators.max", { max: MAX_INDICATORS })}
          </Text>
        )}
      </Group>
    </div>
  );
}
