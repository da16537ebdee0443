import { Alert, Button, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ApiError } from "@/lib/api";

/** Shows an error's detail from the API envelope, with an optional retry. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title={t("app.error")} role="alert">
      <Group justify="space-between" wrap="nowrap">
        <span>{message}</span>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t("app.retry")}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
