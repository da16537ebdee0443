import { Alert, Anchor, Badge, Button, Checkbox, Group, List, Modal, Stack, Table, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Facts } from "@/components/commitments/Views";
import { ContributionBar, useConstraintName } from "@/components/matching/ContributionBar";
import { sharedScale } from "@/components/matching/criteria";
import { ApiError } from "@/lib/api";
import { isStale } from "@/lib/commitments";
import { unplacedErrors } from "@/lib/fieldErrors";
import { useAreaPath } from "@/lib/reference";
import { useRevision } from "./api";
import type { FacilitatorView } from "./logic";
import { StaleAlert } from "./StageActions";
import { READABLE_ERRORS } from "@/components/matching/a11y";

type Item = FacilitatorView["items"][number];

/** Labels of a proposal's pairs from the parties' records (request component area and request; offer). */
function useItemLabels(view: FacilitatorView): (item: Item) => { component: string; offer: string } {
  const areaPath = useAreaPath();
  const components = new Map<string, { area: string; title: string }>();
  const offers = new Map<string, { title: string; organisation: string }>();
  for (const party of view.parties) {
    if (party.record.kind === "request") {
      for (const c of party.record.components) components.set(c.id, { area: c.area_code, title: party.record.title });
    } else offers.set(party.record.id, { title: party.record.title, organisation: party.organisation.name });
  }
  return (item) => {
    const c = components.get(item.request_component_id);
    const o = offers.get(item.offer_id);
    return {
      component: c ? `${areaPath(c.area)} — ${c.title}` : item.request_component_id,
      offer: o ? `${o.title} (${o.organisation})` : item.offer_id,
    };
  };
}

function ReviseModal({ view, opened, onClose }: { view: FacilitatorView; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const revise = useRevision(view.id);
  const label = useItemLabels(view);
  const [kept, setKept] = useState<string[]>(view.items.map((i) => i.id));
  const [justification, setJustification] = useState("");
  const [summary, setSummary] = useState(view.public_summary);
  const fields = revise.error instanceof ApiError ? revise.error.fieldMap() : {};
  const others = unplacedErrors(fields, ["justification", "public_summary"]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const items = view.items.filter((i) => kept.includes(i.id)).map((i) => ({ request_component_id: i.request_component_id, offer_id: i.offer_id }));
    revise.mutate(
      { items, justification: justification.trim() || null, public_summary: summary.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: "green", message: t("matches.proposal.revised") });
          onClose();
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t("matches.proposal.reviseTitle")} size="lg">
      <form onSubmit={submit} noValidate style={READABLE_ERRORS}>
        <Stack>
          <Alert color="yellow" role="note">
            {t("matches.proposal.reviseWarning")}
          </Alert>
          <Checkbox.Group label={t("matches.proposal.keepPairs")} value={kept} onChange={setKept}>
            <Stack gap={6} mt="xs">
              {view.items.map((item) => {
                const l = label(item);
                return <Checkbox key={item.id} value={item.id} label={`${l.component} ↔ ${l.offer}`} />;
              })}
            </Stack>
          </Checkbox.Group>
          <Textarea
            label={t("matches.proposal.justification")}
            description={t("matches.proposal.justificationHint")}
            minRows={2}
            autosize
            maxLength={10000}
            value={justification}
            error={fields.justification}
            onChange={(e) => setJustification(e.currentTarget.value)}
          />
          <Textarea
            label={t("matches.agreement.publicSummary")}
            minRows={2}
            autosize
            maxLength={10000}
            value={summary}
            error={fields.public_summary}
            onChange={(e) => setSummary(e.currentTarget.value)}
          />
          {others.length > 0 && (
            <Alert color="red" role="alert">
              <List size="sm">
                {others.map((o) => (
                  <List.Item key={o.field}>{o.message}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          {revise.error && isStale(revise.error) && <StaleAlert id={view.id} onReload={onClose} />}
          {revise.error && !isStale(revise.error) && !(revise.error instanceof ApiError && revise.error.fields.length > 0) && <ErrorAlert error={revise.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={revise.isPending} disabled={kept.length === 0}>
              {t("matches.proposal.reviseSubmit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The proposal as the facilitators see it: its pairs with their score breakdown, the justification, the
 * criteria version and allocation run it came from; the Secretariat or facilitators may revise it. */
export function ProposalSection({ view }: { view: FacilitatorView }) {
  const { t } = useTranslation();
  const label = useItemLabels(view);
  const constraint = useConstraintName();
  const [revising, setRevising] = useState(false);
  const scale = sharedScale(view.items.map((i) => i.contributions));
  return (
    <Stack gap="sm">
      <Facts
        items={[
          { label: t("matches.proposal.version"), value: String(view.proposal_version) },
          { label: t("matches.proposal.criteriaVersion"), value: view.criteria_version == null ? null : String(view.criteria_version) },
          {
            label: t("matches.proposal.allocationRun"),
            value: view.allocation_run_id ? (
              <Anchor component={Link} to={`/matching/allocations/${view.allocation_run_id}`} size="sm">
                {t("matches.proposal.openRun")}
              </Anchor>
            ) : null,
          },
          { label: t("matches.proposal.justification"), value: view.justification ? <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>{view.justification}</Text> : null },
          { label: t("matches.proposal.statusReason"), value: view.status_reason },
        ]}
      />
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="sm" data-testid="proposal-items">
          <Table.Caption>{t("matches.proposal.itemsCaption")}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("matches.proposal.component")}</Table.Th>
              <Table.Th scope="col">{t("matches.proposal.offer")}</Table.Th>
              <Table.Th scope="col">{t("matches.proposal.rank")}</Table.Th>
              <Table.Th scope="col">{t("matches.proposal.score")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.items.map((item) => {
              const l = label(item);
              return (
                <Table.Tr key={item.id}>
                  <Table.Td>{l.component}</Table.Td>
                  <Table.Td>{l.offer}</Table.Td>
                  <Table.Td>{item.rank ?? "—"}</Table.Td>
                  <Table.Td w="40%">
                    {item.score == null ? "—" : <ContributionBar contributions={item.contributions} score={item.score} scale={scale} />}
                    {item.failed_constraints.length > 0 && (
                      <Group gap={4} mt={4}>
                        {item.failed_constraints.map((f) => (
                          <Badge key={f} color="red" variant="light" tt="none">
                            {constraint(f)}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {view.allowed_actions.includes("revise") && (
        <Group>
          <Button variant="default" onClick={() => setRevising(true)}>
            {t("matches.proposal.revise")}
          </Button>
        </Group>
      )}
      {revising && <ReviseModal view={view} opened={revising} onClose={() => setRevising(false)} />}
    </Stack>
  );
}
