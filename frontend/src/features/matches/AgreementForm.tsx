import { Alert, Button, Group, List, MultiSelect, SimpleGrid, Stack, Table, Text, Textarea } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { notifications } from "@mantine/notifications";
import { useQueries } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { pledgeLabel, PledgePicker } from "@/components/RemotePickers";
import { api, ApiError, unwrap } from "@/lib/api";
import { isStale } from "@/lib/commitments";
import { unplacedErrors } from "@/lib/fieldErrors";
import type { Option } from "@/lib/reference";
import { useTermOptions } from "@/lib/reference";
import { useAgreement } from "./api";
import { agreementParties, type FacilitatorView, type PartyView } from "./logic";
import { StaleAlert } from "./StageActions";
import { READABLE_ERRORS } from "@/components/matching/a11y";

/** Labels of the pledges already referenced by the parties (so the pickers can show them). */
function usePledgeOptions(ids: string[]): Option[] {
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: ["pledges", "detail", id],
      queryFn: () => unwrap(api.GET("/api/v1/pledges/{pledge_id}", { params: { path: { pledge_id: id } } })),
      staleTime: 5 * 60_000,
    })),
  });
  return results.flatMap((r) => (r.data ? [{ value: r.data.id, label: pledgeLabel(r.data) }] : []));
}

/**
 * The parties' agreement: scope, modalities, timeframe, public summary and the pledge each side records the
 * support under. Recording it makes the match agreed (sent with the match's ETag).
 */
export function AgreementForm({ view }: { view: FacilitatorView | PartyView }) {
  const { t } = useTranslation();
  const agree = useAgreement(view.id);
  const modalityOptions = useTermOptions("modalities");
  const parties = agreementParties(view);
  const [scope, setScope] = useState(view.agreed_scope);
  const [modalities, setModalities] = useState<string[]>(view.agreed_modalities);
  const [startsOn, setStartsOn] = useState<string | null>(view.starts_on);
  const [endsOn, setEndsOn] = useState<string | null>(view.ends_on);
  const [summary, setSummary] = useState(view.public_summary);
  const [pledges, setPledges] = useState<Record<string, string | null>>(Object.fromEntries(parties.map((p) => [p.id, p.pledgeId])));
  const known = usePledgeOptions(parties.flatMap((p) => (p.pledgeId ? [p.pledgeId] : [])));
  const [picked, setPicked] = useState<Option[]>([]);
  const fields = agree.error instanceof ApiError ? agree.error.fieldMap() : {};
  const others = unplacedErrors(fields, ["scope", "modalities", "starts_on", "ends_on", "public_summary", "pledges"]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    agree.mutate(
      {
        scope: scope.trim(),
        modalities,
        starts_on: startsOn,
        ends_on: endsOn,
        public_summary: summary.trim(),
        pledges: parties.map((p) => ({ party_id: p.id, pledge_id: pledges[p.id] ?? null })),
      },
      { onSuccess: () => notifications.show({ color: "green", message: t("matches.agreement.recorded") }) },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="agreement-form" style={READABLE_ERRORS}>
      <Stack>
        <Textarea
          label={t("matches.agreement.scope")}
          description={t("matches.agreement.scopeHint")}
          required
          minRows={3}
          autosize
          maxLength={10000}
          value={scope}
          error={fields.scope}
          onChange={(e) => setScope(e.currentTarget.value)}
        />
        <MultiSelect
          label={t("matches.agreement.modalities")}
          data={modalityOptions}
          value={modalities}
          error={fields.modalities}
          onChange={setModalities}
          comboboxProps={{ withinPortal: true }}
          clearable
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DatePickerInput label={t("matches.agreement.startsOn")} clearable valueFormat="LL" value={startsOn} error={fields.starts_on} onChange={setStartsOn} />
          <DatePickerInput
            label={t("matches.agreement.endsOn")}
            clearable
            valueFormat="LL"
            minDate={startsOn ?? undefined}
            value={endsOn}
            error={fields.ends_on}
            onChange={setEndsOn}
          />
        </SimpleGrid>
        <Textarea
          label={t("matches.agreement.publicSummary")}
          description={t("matches.agreement.publicSummaryHint")}
          minRows={2}
          autosize
          maxLength={10000}
          value={summary}
          error={fields.public_summary}
          onChange={(e) => setSummary(e.currentTarget.value)}
        />
        {parties.length > 0 && (
          <Table.ScrollContainer minWidth={520}>
            <Table>
              <Table.Caption>{t("matches.agreement.pledgesCaption")}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("matches.agreement.party")}</Table.Th>
                  <Table.Th scope="col">{t("matches.agreement.pledge")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {parties.map((party, index) => (
                  <Table.Tr key={party.id}>
                    <Table.Th scope="row" fw={400}>
                      {party.name}
                      <Text size="xs" c="dimmed">
                        {t(`matches.sides.${party.side}`)}
                      </Text>
                    </Table.Th>
                    <Table.Td>
                      <PledgePicker
                        aria-label={t("matches.agreement.pledgeFor", { name: party.name })}
                        value={pledges[party.id] ?? null}
                        known={[...known, ...picked]}
                        error={fields[`pledges.${index}.pledge_id`] ?? fields[`pledges.${index}.party_id`]}
                        onChange={(value, option) => {
                          setPledges((p) => ({ ...p, [party.id]: value }));
                          if (option) setPicked((list) => [...list.filter((o) => o.value !== option.value), option]);
                        }}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {others.length > 0 && (
          <Alert color="red" role="alert">
            <List size="sm">
              {others.map((o) => (
                <List.Item key={o.field}>{o.message}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {agree.error && isStale(agree.error) && <StaleAlert id={view.id} onReload={() => agree.reset()} />}
        {agree.error && !isStale(agree.error) && !(agree.error instanceof ApiError && agree.error.fields.length > 0) && <ErrorAlert error={agree.error} />}
        <Group>
          <Button type="submit" loading={agree.isPending}>
            {t("matches.agreement.submit")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
