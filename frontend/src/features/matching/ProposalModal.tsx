import { ActionIcon, Alert, Button, Group, List, Modal, Stack, Table, Text, Textarea, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconTrash } from "@tabler/icons-react";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { formatScore } from "@/components/matching/criteria";
import { ApiError } from "@/lib/api";
import { unplacedErrors } from "@/lib/fieldErrors";
import { useActiveCriteria, useCreateProposal } from "./api";
import { buildProposal, justificationReasons, pairKey, type ProposalPair, selectionReasons } from "./logic";
import { READABLE_ERRORS } from "@/components/matching/a11y";

/**
 * Turn chosen pairs into a match proposal. The reasons a justification is needed are shown as a hint; the
 * server decides, and its field error shows under the justification.
 */
export function ProposalModal({
  opened,
  onClose,
  pairs,
  onRemove,
  allocationRunId,
}: {
  opened: boolean;
  onClose: () => void;
  pairs: ProposalPair[];
  onRemove?: (pair: ProposalPair) => void;
  allocationRunId?: string | null;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const criteria = useActiveCriteria(opened);
  const create = useCreateProposal();
  const [justification, setJustification] = useState("");
  const [summary, setSummary] = useState("");
  const weights = criteria.data?.weights;
  const reasons = selectionReasons(pairs, weights);

  // A fresh start each time the dialog opens (not on every render: that would hide the server's answer).
  const reset = create.reset;
  useEffect(() => {
    if (opened) reset();
  }, [opened, reset]);

  const fields = create.error instanceof ApiError ? create.error.fieldMap() : {};
  const others = unplacedErrors(fields, ["justification", "public_summary"]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(buildProposal(pairs, { justification, publicSummary: summary, allocationRunId }), {
      onSuccess: (match) => {
        notifications.show({ color: "green", message: t("matching.proposal.created", { reference: match.reference }) });
        setJustification("");
        setSummary("");
        onClose();
        void navigate(`/matches/${match.id}`);
      },
    });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t("matching.proposal.title")} size="xl">
      <form onSubmit={submit} noValidate style={READABLE_ERRORS}>
        <Stack>
          <Text size="sm">{t("matching.proposal.intro", { count: pairs.length })}</Text>
          <Table.ScrollContainer minWidth={560}>
            <Table withTableBorder>
              <Table.Caption>{t("matching.proposal.pairsCaption")}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("matching.columns.component")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.offer")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.rank")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.score")}</Table.Th>
                  <Table.Th scope="col">{t("matching.proposal.warnings")}</Table.Th>
                  {onRemove && (
                    <Table.Th scope="col">
                      <VisuallyHidden>{t("app.actions")}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {pairs.map((pair) => {
                  const own = pair.contributions
                    ? justificationReasons({ rank: pair.rank, contributions: pair.contributions }, weights, { rankKnown: pair.rankKnown ?? true })
                    : [];
                  return (
                    <Table.Tr key={pairKey(pair)}>
                      <Table.Td>{pair.componentLabel}</Table.Td>
                      <Table.Td>{pair.offerLabel}</Table.Td>
                      <Table.Td>{pair.rankKnown === false || pair.rank == null ? "—" : pair.rank}</Table.Td>
                      <Table.Td>{pair.score === undefined ? "—" : formatScore(pair.score, i18n.language)}</Table.Td>
                      <Table.Td>
                        {own.length === 0 ? (
                          <Text size="xs" c="dimmed">
                            {t("matching.proposal.noWarning")}
                          </Text>
                        ) : (
                          <Text size="xs">{own.map((r) => t(`matching.proposal.reasons.${r}`)).join("; ")}</Text>
                        )}
                      </Table.Td>
                      {onRemove && (
                        <Table.Td>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t("matching.proposal.remove", { pair: `${pair.componentLabel} / ${pair.offerLabel}` })}
                            onClick={() => onRemove(pair)}
                            disabled={pairs.length <= 1}
                          >
                            <IconTrash size={16} aria-hidden />
                          </ActionIcon>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {reasons.length > 0 && (
            <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} title={t("matching.proposal.needsJustification")} role="note">
              <List size="sm">
                {reasons.map((r) => (
                  <List.Item key={r}>{t(`matching.proposal.reasons.${r}`)}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Textarea
            label={t("matching.proposal.justification")}
            description={t("matching.proposal.justificationHint")}
            minRows={3}
            autosize
            maxLength={10000}
            value={justification}
            error={fields.justification}
            onChange={(e) => setJustification(e.currentTarget.value)}
          />
          <Textarea
            label={t("matching.proposal.publicSummary")}
            description={t("matching.proposal.publicSummaryHint")}
            minRows={2}
            autosize
            maxLength={10000}
            value={summary}
            error={fields.public_summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
          />
          {others.length > 0 && (
            <Alert color="red" role="alert" title={t("matching.proposal.refused")}>
              <List size="sm">
                {others.map((o) => (
                  <List.Item key={o.field}>{o.message}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          {create.error && !(create.error instanceof ApiError && create.error.fields.length > 0) && <ErrorAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={pairs.length === 0}>
              {t("matching.proposal.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
