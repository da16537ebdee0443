import { ActionIcon, Alert, Button, Card, Group, MultiSelect, Stack, Text, Textarea, Title, Tooltip } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { AreaSelect } from "@/components/AreaSelect";
import { type ComponentDraft, emptyComponent, moveItem } from "@/components/commitments/drafts";
import type { FieldMap } from "@/lib/fieldErrors";
import { useTermOptions } from "@/lib/reference";

const MAX_COMPONENTS = 30;

/**
 * Edits the components of a request or offer: each on one area, with wanted modalities and support types and
 * a description; rows can be added, removed and reordered. `errors` holds the server's field errors by row
 * key, `listError` its error about the list as a whole (shown above the rows).
 */
export function ComponentsEditor({
  value,
  onChange,
  errors = {},
  listError,
}: {
  value: ComponentDraft[];
  onChange: (value: ComponentDraft[]) => void;
  errors?: Record<string, FieldMap>;
  listError?: string;
}) {
  const { t } = useTranslation();
  const modalities = useTermOptions("modalities");
  const supportTypes = useTermOptions("support_types");
  const update = (key: string, patch: Partial<ComponentDraft>) =>
    onChange(value.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const add = () => {
    const row = emptyComponent();
    onChange([...value, row]);
    // Focus the new row's area once it is rendered, so keyboard users land where they type next.
    requestAnimationFrame(() => document.getElementById(`${row.key}-area`)?.focus());
  };

  return (
    <Stack gap="sm">
      {listError && (
        <Alert color="red" title={t("commitments.form.componentsProblem")} role="alert">
          {listError}
        </Alert>
      )}
      {value.map((row, index) => {
        const rowErrors = errors[row.key] ?? {};
        const number = index + 1;
        return (
          <Card key={row.key} withBorder padding="md" data-testid="component-row">
            <Group justify="space-between" mb="xs" wrap="nowrap">
              <Title order={3} size="h5">
                {t("commitments.form.componentNumber", { number })}
              </Title>
              <Group gap={4} wrap="nowrap">
                <Tooltip label={t("commitments.form.moveUp")}>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    disabled={index === 0}
                    aria-label={t("commitments.form.moveUpAria", { number })}
                    onClick={() => onChange(moveItem(value, index, index - 1))}
                  >
                    <IconArrowUp size={18} aria-hidden />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t("commitments.form.moveDown")}>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    disabled={index === value.length - 1}
                    aria-label={t("commitments.form.moveDownAria", { number })}
                    onClick={() => onChange(moveItem(value, index, index + 1))}
                  >
                    <IconArrowDown size={18} aria-hidden />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t("commitments.form.removeComponent")}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    disabled={value.length === 1}
                    aria-label={t("commitments.form.removeComponentAria", { number })}
                    onClick={() => onChange(value.filter((r) => r.key !== row.key))}
                  >
                    <IconTrash size={18} aria-hidden />
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Group>
            <Stack gap="sm">
              <AreaSelect
                id={`${row.key}-area`}
                label={t("commitments.fields.area")}
                description={t("commitments.form.areaHint")}
                required
                value={row.area_code}
                error={rowErrors.area_code}
                onChange={(area_code) => update(row.key, { area_code })}
                comboboxProps={{ withinPortal: true }}
              />
              <Group grow align="flex-start" wrap="wrap">
                <MultiSelect
                  label={t("commitments.fields.modalities")}
                  data={modalities}
                  value={row.modalities}
                  error={rowErrors.modalities}
                  onChange={(modalities) => update(row.key, { modalities })}
                  comboboxProps={{ withinPortal: true }}
                  miw={240}
                />
                <MultiSelect
                  label={t("commitments.fields.supportTypes")}
                  data={supportTypes}
                  value={row.support_types}
                  error={rowErrors.support_types}
                  onChange={(support_types) => update(row.key, { support_types })}
                  comboboxProps={{ withinPortal: true }}
                  miw={240}
                />
              </Group>
              <Textarea
                label={t("commitments.fields.componentDescription")}
                minRows={2}
                maxLength={5000}
                value={row.description}
                error={rowErrors.description}
                onChange={(e) => update(row.key, { description: e.currentTarget.value })}
              />
              {rowErrors[""] && (
                <Text c="red" size="sm" role="alert">
                  {rowErrors[""]}
                </Text>
              )}
            </Stack>
          </Card>
        );
      })}
      <Group>
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={add} disabled={value.length >= MAX_COMPONENTS}>
          {t("commitments.form.addComponent")}
        </Button>
      </Group>
    </Stack>
  );
}
