import { Alert, Button, Group, Modal, Stack, Switch, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { IconCheck, IconX } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { ApiError } from "@/lib/api";
import { detailKey, useConsentDecision, usePublicationConsent } from "./api";
import { type PartyFull, type PartyView, partiesAwaitingMyConsent } from "./logic";
import { READABLE_ERRORS } from "@/components/matching/a11y";

type Decision = "grant" | "decline" | "withdraw";

function isStaleProposal(error: unknown): boolean {
  return error instanceof ApiError && (error.code === "StaleProposal" || error.status === 409);
}

/**
 * A focal point's decision on a proposal, for each of their parties it waits for: grant or decline, with
 * optional conditions, on the version shown; or withdraw a grant before the match is agreed.
 */
export function ConsentDecision({ view }: { view: PartyView }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const decide = useConsentDecision(view.id);
  const [asking, setAsking] = useState<{ party: PartyFull; decision: Decision } | null>(null);
  const [conditions, setConditions] = useState("");
  const waiting = partiesAwaitingMyConsent(view);
  const withdrawable = ["consent_pending", "consented", "under_discussion"].includes(view.status)
    ? view.my_parties.filter((p) => p.consent_status === "granted" && p.consent_version === view.proposal_version)
    : [];
  const several = view.my_parties.length > 1;
  if (waiting.length === 0 && withdrawable.length === 0) return null;

  const open = (party: PartyFull, decision: Decision) => {
    decide.reset();
    setConditions("");
    setAsking({ party, decision });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!asking) return;
    decide.mutate(
      {
        party_id: asking.party.id,
        decision: asking.decision,
        proposal_version: view.proposal_version,
        conditions: conditions.trim() || null,
      },
      {
        onSuccess: () => {
          notifications.show({ color: "green", message: t(`matches.consent.done.${asking.decision}`) });
          setAsking(null);
        },
      },
    );
  };

  return (
    <Stack gap="xs" data-testid="consent-decision">
      {waiting.map((party) => (
        <Group key={party.id} gap="xs" wrap="wrap">
          {several && (
            <Text size="sm" fw={600}>
              {party.organisation.name}:
            </Text>
          )}
          <Button color="green" leftSection={<IconCheck size={16} aria-hidden />} onClick={() => open(party, "grant")}>
            {several ? t("matches.consent.grantFor", { name: party.organisation.name }) : t("matches.consent.grant")}
          </Button>
          <Button color="red" variant="light" leftSection={<IconX size={16} aria-hidden />} onClick={() => open(party, "decline")}>
            {several ? t("matches.consent.declineFor", { name: party.organisation.name }) : t("matches.consent.decline")}
          </Button>
        </Group>
      ))}
      {withdrawable.map((party) => (
        <Group key={party.id} gap="xs">
          <Button variant="outline" color="orange" size="xs" onClick={() => open(party, "withdraw")}>
            {several ? t("matches.consent.withdrawFor", { name: party.organisation.name }) : t("matches.consent.withdraw")}
          </Button>
        </Group>
      ))}
      <Modal opened={asking !== null} onClose={() => setAsking(null)} title={asking ? t(`matches.consent.titles.${asking.decision}`) : ""}>
        {asking && (
          <form onSubmit={submit} noValidate style={READABLE_ERRORS}>
            <Stack>
              <Text size="sm">{t(`matches.consent.explain.${asking.decision}`, { version: view.proposal_version, name: asking.party.organisation.name })}</Text>
              <Textarea
                label={asking.decision === "withdraw" ? t("matches.consent.reason") : t("matches.consent.conditions")}
                description={asking.decision === "withdraw" ? undefined : t("matches.consent.conditionsHint")}
                minRows={3}
                autosize
                maxLength={10000}
                data-autofocus
                value={conditions}
                onChange={(e) => setConditions(e.currentTarget.value)}
              />
              {decide.error &&
                (isStaleProposal(decide.error) ? (
                  <Alert color="orange" role="alert" title={t("matches.consent.staleTitle")}>
                    <Stack gap="xs">
                      <Text size="sm">{decide.error.message}</Text>
                      <Group>
                        <Button
                          size="xs"
                          variant="light"
                          color="orange"
                          onClick={() => {
                            setAsking(null);
                            void client.invalidateQueries({ queryKey: detailKey(view.id) });
                          }}
                        >
                          {t("matches.consent.reload")}
                        </Button>
                      </Group>
                    </Stack>
                  </Alert>
                ) : (
                  <ErrorAlert error={decide.error} />
                ))}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setAsking(null)}>
                  {t("app.cancel")}
                </Button>
                <Button type="submit" color={asking.decision === "grant" ? "green" : asking.decision === "decline" ? "red" : "orange"} loading={decide.isPending}>
                  {t(`matches.consent.confirm.${asking.decision}`)}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </Stack>
  );
}

/** Each of my parties' separate consent to publishing the match (public from planning on, once all agree). */
export function PublicationConsent({ view }: { view: PartyView }) {
  const { t } = useTranslation();
  const set = usePublicationConsent(view.id);
  if (!view.can_consent_to_publication || view.my_parties.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="publication-consent">
      <Text size="sm">{t("matches.publication.intro")}</Text>
      {view.my_parties.map((party) => (
        <Switch
          key={party.id}
          label={
            view.my_parties.length > 1
              ? t("matches.publication.switchFor", { name: party.organisation.name })
              : t("matches.publication.switch")
          }
          checked={party.publication_consent === true}
          disabled={set.isPending}
          onChange={(e) => {
            const consent = e.currentTarget.checked;
            set.mutate(
              { party_id: party.id, consent },
              { onSuccess: () => notifications.show({ color: "green", message: t(consent ? "matches.publication.given" : "matches.publication.withdrawn") }) },
            );
          }}
        />
      ))}
      {set.error && <ErrorAlert error={set.error} />}
    </Stack>
  );
}
