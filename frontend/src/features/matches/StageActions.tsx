import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { isStale } from "@/lib/commitments";
import { detailKey, useTransition } from "./api";
import { ASKS_REASON, type MatchAction, stageActions } from "./logic";
import { READABLE_ERRORS } from "@/components/matching/a11y";

const STYLE: Partial<Record<MatchAction, { color?: string; variant: string }>> = {
  request_consent: { variant: "filled" },
  start_discussion: { variant: "filled", color: "cyan" },
  start_planning: { variant: "filled", color: "indigo" },
  start_implementation: { variant: "filled", color: "violet" },
  fulfil: { variant: "filled", color: "green" },
  suspend: { variant: "outline", color: "orange" },
  resume: { variant: "light" },
  cancel: { variant: "light", color: "red" },
};

/** Shown when the server refused a change because the match changed meanwhile (412): reload, then redo. */
export function StaleAlert({ id, onReload }: { id: string; onReload?: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  return (
    <Alert color="orange" role="alert" title={t("matches.stale.title")}>
      <Group justify="space-between">
        <Text size="sm">{t("matches.stale.body")}</Text>
        <Button
          size="xs"
          variant="light"
          color="orange"
          onClick={() => {
            onReload?.();
            void client.invalidateQueries({ queryKey: detailKey(id) });
          }}
        >
          {t("matches.stale.reload")}
        </Button>
      </Group>
    </Alert>
  );
}

/** The stage buttons the server allows this viewer now, sent with the match's ETag. */
export function StageActions({ id, allowed }: { id: string; allowed: MatchAction[] }) {
  const { t } = useTranslation();
  const run = useTransition(id);
  const [asking, setAsking] = useState<MatchAction | null>(null);
  const [reason, setReason] = useState("");
  const actions = stageActions(allowed);
  if (actions.length === 0) return null;

  const perform = (action: MatchAction, withReason?: string) =>
    run.mutate(
      { action, reason: withReason },
      {
        onSuccess: () => {
          setAsking(null);
          notifications.show({ color: "green", message: t(`matches.actions.done.${action}`) });
        },
      },
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (asking) perform(asking, reason);
  };

  return (
    <Stack gap="xs" data-testid="stage-actions">
      <Group gap="xs">
        {actions.map((action) => (
          <Button
            key={action}
            color={STYLE[action]?.color}
            variant={STYLE[action]?.variant ?? "default"}
            loading={run.isPending && run.variables?.action === action}
            disabled={run.isPending}
            onClick={() => {
              run.reset();
              if (ASKS_REASON.has(action)) {
                setReason("");
                setAsking(action);
              } else perform(action);
            }}
          >
            {t(`matches.actions.${action}`)}
          </Button>
        ))}
      </Group>
      {run.error && !asking && (isStale(run.error) ? <StaleAlert id={id} onReload={() => run.reset()} /> : <ErrorAlert error={run.error} />)}
      <Modal opened={asking !== null} onClose={() => setAsking(null)} title={asking ? t(`matches.actions.${asking}`) : ""}>
        {asking && (
          <form onSubmit={submit} noValidate style={READABLE_ERRORS}>
            <Stack>
              <Text size="sm">{t(`matches.actions.confirm.${asking}`)}</Text>
              <Textarea label={t("matches.actions.reason")} minRows={3} autosize maxLength={10000} data-autofocus value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
              {run.error && (isStale(run.error) ? <StaleAlert id={id} onReload={() => setAsking(null)} /> : <ErrorAlert error={run.error} />)}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setAsking(null)}>
                  {t("app.cancel")}
                </Button>
                <Button type="submit" color={STYLE[asking]?.color} loading={run.isPending}>
                  {t(`matches.actions.${asking}`)}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </Stack>
  );
}
