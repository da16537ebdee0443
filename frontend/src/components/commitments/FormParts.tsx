import { Alert, Button, Card, Group, List, Stack, Text, Title } from "@mantine/core";
import { IconLock, IconWorld } from "@tabler/icons-react";
import { type ReactNode, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ApiError } from "@/lib/api";
import { isStale } from "@/lib/commitments";
import { unplacedErrors } from "@/lib/fieldErrors";

/** One part of a long form: a card with an h2 and an optional explanation. */
export function FormSection({
  title,
  description,
  children,
  tone,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  tone?: "public" | "confidential";
}) {
  const { t } = useTranslation();
  const color = tone === "confidential" ? "red" : tone === "public" ? "teal" : undefined;
  return (
    <Card
      withBorder
      padding="lg"
      component="section"
      style={color ? { borderColor: `var(--mantine-color-${color}-6)`, borderWidth: 2 } : undefined}
    >
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap">
          {tone === "confidential" && <IconLock size={20} color="var(--mantine-color-red-8)" aria-hidden />}
          {tone === "public" && <IconWorld size={20} color="var(--mantine-color-teal-8)" aria-hidden />}
          <Title order={2} size="h4">
            {title}
          </Title>
          {tone && (
            <Text size="xs" fw={700} tt="uppercase" c={tone === "confidential" ? "red.8" : "teal.9"}>
              {t(`commitments.form.tone.${tone}`)}
            </Text>
          )}
        </Group>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
        {children}
      </Stack>
    </Card>
  );
}

/**
 * What went wrong with a save, above the form: a stale record (412) with a way to reload; field errors
 * that no input shows; any other error. Takes the focus so screen-reader and keyboard users notice.
 */
export function SaveError({
  error,
  placed,
  onReload,
}: {
  error: unknown;
  placed: readonly string[];
  onReload?: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  let content: ReactNode;
  if (isStale(error)) {
    content = (
      <Alert color="orange" title={t("commitments.stale.title")} role="alert">
        <Stack gap="xs">
          <Text size="sm">{t("commitments.stale.formBody")}</Text>
          {onReload && (
            <Group>
              <Button size="xs" color="orange" variant="light" onClick={onReload}>
                {t("commitments.stale.reload")}
              </Button>
            </Group>
          )}
        </Stack>
      </Alert>
    );
  } else if (error instanceof ApiError && error.fields.length > 0) {
    const others = unplacedErrors(error.fieldMap(), placed);
    content = (
      <Alert color="red" title={t("commitments.form.fixErrors")} role="alert">
        {others.length > 0 && (
          <List size="sm">
            {others.map((e) => (
              <List.Item key={e.field}>
                <code>{e.field}</code>: {e.message}
              </List.Item>
            ))}
          </List>
        )}
      </Alert>
    );
  } else {
    content = <ErrorAlert error={error} />;
  }
  return (
    <div ref={ref} tabIndex={-1} style={{ outline: "none" }}>
      {content}
    </div>
  );
}
