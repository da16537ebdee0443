import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ApiError } from "@/lib/api";
import { isStale } from "@/lib/commitments";
import { type ItemAction, useItemTransition } from "./api";

const STYLE: Record<ItemAction, { color: string; variant: string }> = {
  submit: { color: "blue", variant: "filled" },
  publish: { color: "teal", variant: "filled" },
  return_to_draft: { color: "orange", variant: "light" },
  archive: { color: "gray", variant: "default" },
  republish: { color: "teal", variant: "light" },
};
// Returning to draft needs a comment; archiving takes the item off the public pages, so it asks first.
const ASKS: ReadonlySet<ItemAction> = new Set(["return_to_draft", "archive"]);
const ORDER: readonly ItemAction[] = ["submit", "publish", "return_to_draft", "archive", "republish"];

/** The workflow buttons the server allows the caller on one item, with a dialog for those that ask first. */
export function ItemActions({
  id,
  actions,
  etag,
  onReload,
  compact = false,
}: {
  id: string;
  actions: readonly ItemAction[];
  etag?: string | null;
  onReload?: () => void;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const run = useItemTransition();
  const [asking, setAsking] = useState<ItemAction | null>(null);
  const [comment, setComment] = useState("");
  const [commentError, setCommentError] = useState<string | null>(null);

  const perform = (action: ItemAction, withComment?: string) =>
    run.mutate(
      { id, action, comment: withComment, etag },
      {
        onSuccess: () => {
          setAsking(null);
          setComment("");
          notifications.show({ color: "green", message: t(`knowledge.actions.done.${action}`) });
        },
      },
    );

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (!asking) return;
    if (asking === "return_to_draft" && !comment.trim()) {
      setCommentError(t("knowledge.actions.commentRequired"));
      return;
    }
    setCommentError(null);
    perform(asking, comment);
  };

  const shown = ORDER.filter((action) => actions.includes(action));
  if (shown.length === 0) return null;
  const error = run.error;
  const serverCommentError = error instanceof ApiError ? error.fieldMap().comment : undefined;

  return (
    <Stack gap="xs">
      <Group gap="xs">
        {shown.map((action) => (
          <Button
            key={action}
            size={compact ? "xs" : "sm"}
            color={STYLE[action].color}
            variant={STYLE[action].variant}
            loading={run.isPending && run.variables?.action === action}
            disabled={run.isPending}
            onClick={() => {
              run.reset();
              if (ASKS.has(action)) {
                setComment("");
                setCommentError(null);
                setAsking(action);
              } else perform(action);
            }}
          >
            {t(`knowledge.actions.${action}`)}
          </Button>
        ))}
      </Group>
      {error && !asking && isStale(error) && (
        <Alert color="orange" role="alert" title={t("commitments.stale.title")}>
          <Group justify="space-between">
            <Text size="sm">{t("commitments.stale.body")}</Text>
            {onReload && (
              <Button size="xs" variant="light" color="orange" onClick={() => { run.reset(); onReload(); }}>
                {t("commitments.stale.reload")}
              </Button>
            )}
          </Group>
        </Alert>
      )}
      {error && !asking && !isStale(error) && <ErrorAlert error={error} />}
      <Modal opened={asking !== null} onClose={() => setAsking(null)} title={asking ? t(`knowledge.actions.${asking}`) : ""} centered>
        <form onSubmit={confirm} noValidate>
          <Stack>
            <Text size="sm">{asking ? t(`knowledge.actions.confirm.${asking}`) : ""}</Text>
            {asking === "return_to_draft" && (
              <Textarea
                label={t("knowledge.actions.comment")}
                description={t("knowledge.actions.commentHint")}
                required
                autosize
                minRows={3}
                maxLength={5000}
                value={comment}
                error={commentError ?? serverCommentError}
                onChange={(e) => setComment(e.currentTarget.value)}
                data-autofocus
              />
            )}
            {error && !serverCommentError && <ErrorAlert error={error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAsking(null)}>
                {t("app.cancel")}
              </Button>
              <Button type="submit" color={asking ? STYLE[asking].color : undefined} loading={run.isPending}>
                {asking ? t(`knowledge.actions.${asking}`) : ""}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
