import { Alert, Button, Card, Group, Radio, Stack, Text, Textarea, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "@/lib/api";
import { isStale } from "@/lib/commitments";
import { fieldError } from "@/lib/fieldErrors";
import { useReportAction } from "./api";
import type { Report } from "./reportState";

type Props = { report: Report; etag: string | null };

function useAct({ report, etag }: Props) {
  const { t } = useTranslation();
  const mutation = useReportAction();
  const [error, setError] = useState<unknown>(null);
  const run = async (action: "attest" | "accept" | "send_back" | "publish" | "unpublish", body: Record<string, string | undefined>) => {
    try {
      await mutation.mutateAsync({ id: report.id, action, body, etag });
      setError(null);
      notifications.show({ color: "teal", message: t(`reports.actions.done.${action}`) });
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    }
  };
  const map = error instanceof ApiError ? error.fieldMap() : {};
  const alert =
    error === null ? null : (
      <Alert color={isStale(error) ? "orange" : "red"} role="alert">
        {isStale(error) ? t("reports.actions.stale") : error instanceof Error ? error.message : String(error)}
      </Alert>
    );
  return { run, map, alert, pending: mutation.isPending };
}

function Panel({ title, description, children, testId }: { title: string; description: string; children: React.ReactNode; testId: string }) {
  return (
    <Card withBorder padding="lg" component="section" data-testid={testId}>
      <Title order={2} size="h4" mb={2}>
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {description}
      </Text>
      {children}
    </Card>
  );
}

/** The requesting party attests the submitted report: confirms it, or attests it with a comment. */
function AttestPanel(props: Props) {
  const { t } = useTranslation();
  const { run, map, alert, pending } = useAct(props);
  const [choice, setChoice] = useState<"confirmed" | "commented">("confirmed");
  const [comment, setComment] = useState("");
  return (
    <Panel title={t("reports.actions.attestTitle")} description={t("reports.actions.attestHint")} testId="attest-panel">
      <Stack gap="sm">
        {alert}
        <Radio.Group label={t("reports.actions.attestChoice")} value={choice} onChange={(value) => setChoice(value as "confirmed" | "commented")} error={fieldError(map, "attestation")}>
          <Stack gap={6} mt={6}>
            <Radio value="confirmed" label={t("reports.attestations.confirmed")} />
            <Radio value="commented" label={t("reports.attestations.commented")} />
          </Stack>
        </Radio.Group>
        <Textarea
          label={t("reports.actions.attestComment")}
          withAsterisk={choice === "commented"}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          error={fieldError(map, "comment")}
          autosize
          minRows={2}
          maxRows={8}
        />
        <Group>
          <Button loading={pending} onClick={() => void run("attest", { attestation: choice, comment: comment.trim() || undefined })}>
            {choice === "confirmed" ? t("reports.actions.confirm") : t("reports.actions.attestWithComment")}
          </Button>
        </Group>
      </Stack>
    </Panel>
  );
}

/** UNHCR (a facilitating office) or the Secretariat accepts the report or sends it back with comments. */
function ReviewPanel({ canAccept, canSendBack, ...props }: Props & { canAccept: boolean; canSendBack: boolean }) {
  const { t } = useTranslation();
  const { run, map, alert, pending } = useAct(props);
  const [comment, setComment] = useState("");
  return (
    <Panel title={t("reports.actions.reviewTitle")} description={t("reports.actions.reviewHint")} testId="review-panel">
      <Stack gap="sm">
        {alert}
        <Textarea
          label={t("reports.actions.reviewComment")}
          description={t("reports.actions.reviewCommentHint")}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          error={fieldError(map, "comment")}
          autosize
          minRows={2}
          maxRows={8}
        />
        <Group>
          {canAccept && (
            <Button color="teal" loading={pending} onClick={() => void run("accept", { comment: comment.trim() || undefined })}>
              {t("reports.actions.accept")}
            </Button>
          )}
          {canSendBack && (
            <Button color="orange" variant="light" loading={pending} onClick={() => void run("send_back", { comment: comment.trim() || undefined })}>
              {t("reports.actions.sendBack")}
            </Button>
          )}
        </Group>
      </Stack>
    </Panel>
  );
}

/** An accepted report: mark the excerpt to publish on the public match page (it shows once the parties consented to publish the match). */
function PublishPanel(props: Props) {
  const { t } = useTranslation();
  const { report } = props;
  const { run, map, alert, pending } = useAct(props);
  const [excerpt, setExcerpt] = useState(report.published_excerpt ?? "");
  return (
    <Panel title={t("reports.actions.publishTitle")} description={t("reports.actions.publishHint")} testId="publish-panel">
      <Stack gap="sm">
        {alert}
        <Textarea
          label={t("reports.actions.excerpt")}
          description={t("reports.actions.excerptHint")}
          withAsterisk
          value={excerpt}
          onChange={(e) => setExcerpt(e.currentTarget.value)}
          error={fieldError(map, "excerpt")}
          autosize
          minRows={3}
          maxRows={12}
          maxLength={20_000}
        />
        <Group>
          <Button loading={pending} onClick={() => void run("publish", { excerpt: excerpt.trim() || undefined })}>
            {t("reports.actions.publish")}
          </Button>
        </Group>
      </Stack>
    </Panel>
  );
}

function UnpublishPanel(props: Props) {
  const { t } = useTranslation();
  const { run, alert, pending } = useAct(props);
  return (
    <Panel title={t("reports.actions.unpublishTitle")} description={t("reports.actions.unpublishHint")} testId="unpublish-panel">
      <Stack gap="sm">
        {alert}
        <Group>
          <Button color="red" variant="light" loading={pending} onClick={() => void run("unpublish", {})}>
            {t("reports.actions.unpublish")}
          </Button>
        </Group>
      </Stack>
    </Panel>
  );
}

/** The workflow steps open to the caller on this report (as the API lists them); submitting is in the form. */
export function ReportActions(props: Props) {
  const actions = new Set(props.report.allowed_actions);
  return (
    <>
      {actions.has("attest") && <AttestPanel {...props} />}
      {(actions.has("accept") || actions.has("send_back")) && <ReviewPanel {...props} canAccept={actions.has("accept")} canSendBack={actions.has("send_back")} />}
      {actions.has("publish") && <PublishPanel {...props} />}
      {actions.has("unpublish") && <UnpublishPanel {...props} />}
    </>
  );
}
