import { Box, Button, Collapse, Group, Stack, Table, Text } from "@mantine/core";
import { IconChevronDown, IconChevronRight } from "@tabler/icons-react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { barSegments, type Contributions, contributionColor, formatScore, orderedContributions } from "./criteria";

/** A criterion's name in the UI language (unknown names as sent). */
export function useCriterionName(): (name: string) => string {
  const { t } = useTranslation();
  return (name) => t(`matching.criteria.names.${name}`, { defaultValue: name.replace(/_/g, " ") });
}

/** A hard constraint's name in the UI language, said as what failed. */
export function useConstraintName(): (name: string) => string {
  const { t } = useTranslation();
  return (name) => t(`matching.criteria.failed.${name}`, { defaultValue: name.replace(/_/g, " ") });
}

const HATCH = "repeating-linear-gradient(135deg, var(--mantine-color-red-7) 0 4px, rgba(255,255,255,0.85) 4px 7px)";

/**
 * One score as a stacked bar of its named contributions (on `scale`, shared by the rows shown together), the
 * score as a number, the non-zero contributions in words, and on demand a per-criterion breakdown with a bar
 * and a value for each. The bar is an image whose text alternative lists every contribution.
 */
export function ContributionBar({
  contributions,
  score,
  scale,
  compact = false,
}: {
  contributions: Contributions;
  score: number;
  scale: number;
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const name = useCriterionName();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const { positive, negative } = barSegments(contributions, scale);
  const items = orderedContributions(contributions);
  const words = items.map(([key, value]) => `${name(key)} ${formatScore(value, i18n.language)}`).join(" · ");
  const label = t("matching.bar.label", { score: formatScore(score, i18n.language), parts: words || t("matching.bar.none") });
  return (
    <Stack gap={4} miw={220} data-testid="contribution-bar">
      <Group gap="xs" wrap="nowrap">
        <Box
          role="img"
          aria-label={label}
          pos="relative"
          h={14}
          style={{ flex: 1, background: "var(--mantine-color-gray-1)", borderRadius: 3, overflow: "hidden", border: "1px solid var(--mantine-color-gray-4)" }}
        >
          {positive.map((s) => (
            <Box
              key={s.name}
              pos="absolute"
              top={0}
              bottom={0}
              style={{ left: `${s.start}%`, width: `${s.width}%`, background: contributionColor(s.name), borderRight: "1px solid white" }}
            />
          ))}
          {negative.map((s) => (
            <Box key={s.name} pos="absolute" top={0} bottom={0} style={{ left: `${s.start}%`, width: `${s.width}%`, background: HATCH }} />
          ))}
        </Box>
        <Text size="sm" fw={700} w={48} ta="right" data-testid="score">
          {formatScore(score, i18n.language)}
        </Text>
      </Group>
      {!compact && (
        <Text size="xs" c="dimmed" data-testid="contribution-words">
          {words || t("matching.bar.none")}
        </Text>
      )}
      <div>
        <Button
          variant="subtle"
          size="compact-xs"
          aria-expanded={open}
          aria-controls={panelId}
          leftSection={open ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
          onClick={() => setOpen((o) => !o)}
        >
          {t("matching.bar.why")}
        </Button>
      </div>
      <Collapse expanded={open} id={panelId}>
        <Breakdown contributions={contributions} score={score} />
      </Collapse>
    </Stack>
  );
}

/** Every criterion with its own bar (on the largest absolute contribution) and its value; the total last. */
export function Breakdown({ contributions, score }: { contributions: Contributions; score: number }) {
  const { t, i18n } = useTranslation();
  const name = useCriterionName();
  const rows = orderedContributions(contributions, true);
  const largest = Math.max(1, ...rows.map(([, v]) => Math.abs(v)));
  return (
    <Table withTableBorder verticalSpacing={2} fz="xs" data-testid="breakdown">
      <Table.Caption>{t("matching.bar.breakdownCaption")}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t("matching.bar.criterion")}</Table.Th>
          <Table.Th scope="col" w="45%">
            {t("matching.bar.share")}
          </Table.Th>
          <Table.Th scope="col" ta="right">
            {t("matching.bar.value")}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(([key, value]) => (
          <Table.Tr key={key}>
            <Table.Th scope="row" fw={400}>
              <Group gap={6} wrap="nowrap">
                <Box w={10} h={10} style={{ background: contributionColor(key), borderRadius: 2, flexShrink: 0 }} aria-hidden />
                {name(key)}
              </Group>
            </Table.Th>
            <Table.Td>
              <Box h={8} style={{ background: "var(--mantine-color-gray-1)", borderRadius: 2 }} aria-hidden>
                <Box
                  h={8}
                  style={{
                    width: `${(Math.abs(value) / largest) * 100}%`,
                    background: value < 0 ? HATCH : contributionColor(key),
                    borderRadius: 2,
                  }}
                />
              </Box>
            </Table.Td>
            <Table.Td ta="right" c={value < 0 ? "red.8" : undefined}>
              {formatScore(value, i18n.language)}
            </Table.Td>
          </Table.Tr>
        ))}
        <Table.Tr>
          <Table.Th scope="row">{t("matching.bar.total")}</Table.Th>
          <Table.Td />
          <Table.Td ta="right" fw={700}>
            {formatScore(score, i18n.language)}
          </Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

/** The colour key of the bars: every contribution with its swatch. */
export function ContributionLegend({ names }: { names: readonly string[] }) {
  const { t } = useTranslation();
  const name = useCriterionName();
  return (
    <Group gap="sm" aria-label={t("matching.bar.legend")} role="group">
      {names.map((key) => (
        <Group key={key} gap={4} wrap="nowrap">
          <Box
            w={12}
            h={12}
            style={{ background: key === "duplication" ? HATCH : contributionColor(key), borderRadius: 2, border: "1px solid var(--mantine-color-gray-4)" }}
            aria-hidden
          />
          <Text size="xs">{name(key)}</Text>
        </Group>
      ))}
    </Group>
  );
}
