import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ApiError } from "@/lib/api";
import { type CommitmentAction, type CommitmentKind, isStale, useCommitmentAction } from "@/lib/commitments";

const STYLE: Record<CommitmentAction, { color: string; variant: string }> = {
  submit: { color: "blue", variant: "filled" },
  start_review: { color: "indigo", variant: "light" },
  validate: { color: "teal", variant: "filled" },
  reject: { color: "red", variant: "light" },
  revise: { color: "gray", variant: "default" },
  withdraw: { color: "orange", variant: "outline" },
  close: { color: "gray", variant: "default" },
  mark_partially_matched: { color: "gray", variant: "default" },
  mark_matched: { color: "gray", variant: "default" },
  mark_unmatched: { color: "gray", variant: "default" },
};
// Actions that ask first: reject needs a reason; withdrawing and closing cannot be undone by the owner.
const ASKS: ReadonlySet<CommitmentAction> = new Set(["reject", "withdraw", "close"]);

/**
 * The buttons for the workflow actions the server allows the caller (`allowed_actions`), with a dialog for
 * those needing a reason or confirmation. A stale record (412) asks the user to reload.
 */
export function WorkflowActions({
  kind,
  id,
  actions,
  etag,
  onReload,
}: {
  kind: CommitmentKind;
  id: string;
  actions: CommitmentAction[];
  etag: string | null;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const run = useCommitmentAction(kind);
  const [asking, setAsking] = useState<CommitmentAction | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);

  const perform = (action: CommitmentAction, withReason?: string) => {
    run.mutate(
      { id, action, reason: withReason, etag },
      {
        onSuccess: ({ data }) => {
          setAsking(null);
          setReason("");
          if (action === "submit" && data.status === "rejected") {
            notifications.show({
              color: "orange",
              autoClose: false,
              title: t("commitments.actions.autoRejected"),
              message: data.rejection_reason ?? "",
            });
          } else {
            notifications.show({ color: "green", message: t(`commitments.actions.done.${action}`) });
          }
        },
      },
    );
  };

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (!asking) return;
    if (asking === "reject" && !reason.trim()) {
      setReasonError(t("commitments.actions.reasonRequired"));
      return;
    }
    setReasonError(null);
    perform(asking, reason);
  };

  const error = run.error;
  const fieldReason = error instanceof ApiError ? error.fieldMap().reason : undefined;
  const shown = actions.filter((a) => a in STYLE && !a.startsWith("mark_"));
  if (shown.length === 0) return null;

  return (
    <Stack gap="xs">
      <Group gap="xs">
        {shown.map((action) => (
          <Button
            key={action}
            color={STYLE[action].color}
            variant={STYLE[action].variant}
            loading={run.isPending && run.variables?.action === action}
            disabled={run.isPending}
            onClick={() => {
              run.reset();
              if (ASKS.has(action)) {
                setReason("");
                setReasonError(null);
                setAsking(action);
              } else perform(action);
            }}
          >
            {t(`commitments.actions.${action}`)}
          </Button>
        ))}
      </Group>
      {error && !asking && isStale(error) && (
        <Alert color="orange" role="alert" title={t("commitments.stale.title")}>
          <Group justify="space-between">
            <Text size="sm">{t("commitments.stale.body")}</Text>
            <Button size="xs" variant="light" color="orange" onClick={() => { run.reset(); onReload(); }}>
              {t("commitments.stale.reload")}
            </Button>
          </Group>
        </Alert>
      )}
      {error && !asking && !isStale(error) && <ErrorAlert error={error} />}
      <Modal
        opened={asking !== null}
        onClose={() => setAsking(null)}
        title={asking ? t(`commitments.actions.${asking}`) : ""}
      >
        {asking && (
          <form onSubmit={confirm} noValidate>
            <Stack>
              <Text size="sm">{t(`commitments.actions.confirm.${asking}`, { kind: t(`commitments.kinds.${kind}`) })}</Text>
              <Textarea
                label={asking === "reject" ? t("commitments.actions.reason") : t("commitments.actions.optionalReason")}
                required={asking === "reject"}
                minRows={3}
                maxLength={5000}
                data-autofocus
                value={reason}
                error={reasonError ?? fieldReason}
                onChange={(e) => {
                  setReason(e.currentTarget.value);
                  setReasonError(null);
                }}
              />
              {error && !fieldReason && (isStale(error) ? (
                <Alert color="orange" role="alert" title={t("commitments.stale.title")}>
                  {t("commitments.stale.body")}
                </Alert>
              ) : (
                <ErrorAlert error={error} />
              ))}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setAsking(null)}>
                  {t("app.cancel")}
                </Button>
                <Button type="submit" color={STYLE[asking].color === "gray" ? undefined : STYLE[asking].color} loading={run.isPending}>
                  {t(`commitments.actions.${asking}`)}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </Stack>
  );
}
