import { Anchor, Badge, Button, Card, Checkbox, Group, Stack, Table, Text, Title } from "@mantine/core";
import { IconCirclePlus } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ContributionBar, ContributionLegend, useConstraintName } from "@/components/matching/ContributionBar";
import { CONTRIBUTIONS, formatScore, sharedScale } from "@/components/matching/criteria";
import { useAreaPath, useCountryName, useTermLabel } from "@/lib/reference";
import type { ComponentRef, OfferRef, OfferSuggestions, RequestSuggestions } from "./api";
import { pairKey, type ProposalPair } from "./logic";

type SelectionProps = {
  selected: ProposalPair[];
  onToggle: (pair: ProposalPair) => void;
  onPropose: (pair: ProposalPair) => void;
};

export function useOfferLabel(): (offer: OfferRef) => string {
  return (offer) => `${offer.title} (${offer.reference}) — ${offer.organisation_name}`;
}

export function useComponentLabel(): (component: ComponentRef) => string {
  const areaPath = useAreaPath();
  const countryName = useCountryName();
  return (component) => `${areaPath(component.area_code)} — ${component.title} (${component.reference}, ${countryName(component.country_iso3)})`;
}

function OfferCell({ offer }: { offer: OfferRef }) {
  const countryName = useCountryName();
  const contributor = useTermLabel("contributor_types");
  return (
    <Stack gap={2}>
      <Anchor component={Link} to={`/offers/${offer.id}`} fw={600} size="sm">
        {offer.title}
      </Anchor>
      <Text size="xs" c="dimmed">
        {[offer.reference, offer.organisation_name, contributor(offer.contributor_type), offer.country_iso3 ? countryName(offer.country_iso3) : null]
          .filter(Boolean)
          .join(" · ")}
      </Text>
    </Stack>
  );
}

function ComponentCell({ component }: { component: ComponentRef }) {
  const countryName = useCountryName();
  const areaPath = useAreaPath();
  return (
    <Stack gap={2}>
      <Anchor component={Link} to={`/requests/${component.request_id}`} fw={600} size="sm">
        {component.title}
      </Anchor>
      <Text size="xs">{areaPath(component.area_code)}</Text>
      <Text size="xs" c="dimmed">
        {component.reference} · {countryName(component.country_iso3)}
      </Text>
      {component.description && (
        <Text size="xs" c="dimmed" lineClamp={2}>
          {component.description}
        </Text>
      )}
    </Stack>
  );
}

function FailedBadges({ failed }: { failed: string[] }) {
  const constraint = useConstraintName();
  return (
    <Group gap={4}>
      {failed.map((f) => (
        <Badge key={f} color="red" variant="light" tt="none">
          {constraint(f)}
        </Badge>
      ))}
    </Group>
  );
}

/** Ranked offers per component of a request (and overall), with why, why not, and selection for a proposal. */
export function RequestSuggestionsView({ data, filtered, selected, onToggle, onPropose }: { data: RequestSuggestions; filtered: boolean } & SelectionProps) {
  const { t, i18n } = useTranslation();
  const areaPath = useAreaPath();
  const offerLabel = useOfferLabel();
  const componentLabel = useComponentLabel();
  const keys = new Set(selected.map(pairKey));
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed">
          {t("matching.console.criteriaVersion", { version: data.criteria_version })}
          {filtered ? ` ${t("matching.console.filteredRanks")}` : ""}
        </Text>
        <ContributionLegend names={CONTRIBUTIONS} />
      </Group>

      <Card withBorder component="section" padding="md">
        <Title order={2} size="h4" mb="xs">
          {t("matching.console.overall")}
        </Title>
        {data.overall.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t("matching.console.noCandidates")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table data-testid="overall-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("matching.columns.rank")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.offer")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.totalScore")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.componentsServed")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.overall.map((o, index) => (
                  <Table.Tr key={o.offer.id}>
                    <Table.Td>{index + 1}</Table.Td>
                    <Table.Td>
                      <OfferCell offer={o.offer} />
                    </Table.Td>
                    <Table.Td>{formatScore(o.total_score, i18n.language)}</Table.Td>
                    <Table.Td>{t("matching.console.servedOf", { served: o.components_served, total: data.components.length })}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>

      {data.components.map((suggestions, position) => {
        const component = suggestions.component;
        const scale = sharedScale(suggestions.candidates.map((c) => c.contributions));
        return (
          <Card key={component.id} withBorder component="section" padding="md" data-testid="component-suggestions">
            <Title order={2} size="h4">
              {t("matching.console.componentHeading", { position: position + 1, area: areaPath(component.area_code) })}
            </Title>
            {component.description && (
              <Text size="sm" c="dimmed" mb="xs">
                {component.description}
              </Text>
            )}
            {suggestions.candidates.length === 0 ? (
              <Text c="dimmed" size="sm" my="sm">
                {t("matching.console.noCandidates")}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={820}>
                <Table verticalSpacing="sm">
                  <Table.Caption>{t("matching.console.candidatesCaption", { area: areaPath(component.area_code) })}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t("matching.columns.select")}</Table.Th>
                      <Table.Th scope="col">{t("matching.columns.rank")}</Table.Th>
                      <Table.Th scope="col">{t("matching.columns.offer")}</Table.Th>
                      <Table.Th scope="col">{t("matching.columns.why")}</Table.Th>
                      <Table.Th scope="col">{t("app.actions")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {suggestions.candidates.map((candidate) => {
                      const pair: ProposalPair = {
                        componentId: component.id,
                        offerId: candidate.offer.id,
                        rank: candidate.rank,
                        rankKnown: !filtered,
                        score: candidate.score,
                        contributions: candidate.contributions,
                        componentLabel: componentLabel(component),
                        offerLabel: offerLabel(candidate.offer),
                      };
                      return (
                        <Table.Tr key={candidate.offer.id} data-testid="candidate-row" data-rank={candidate.rank}>
                          <Table.Td>
                            <Checkbox
                              aria-label={t("matching.console.selectPair", { offer: candidate.offer.title, area: areaPath(component.area_code) })}
                              checked={keys.has(pairKey(pair))}
                              onChange={() => onToggle(pair)}
                            />
                          </Table.Td>
                          <Table.Td>
                            <Badge variant={candidate.rank === 1 ? "filled" : "light"} aria-label={t("matching.console.rankLabel", { rank: candidate.rank })}>
                              {candidate.rank}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <OfferCell offer={candidate.offer} />
                          </Table.Td>
                          <Table.Td w="45%">
                            <ContributionBar contributions={candidate.contributions} score={candidate.score} scale={scale} />
                          </Table.Td>
                          <Table.Td>
                            <Button
                              size="xs"
                              variant="light"
                              leftSection={<IconCirclePlus size={14} aria-hidden />}
                              aria-label={t("matching.console.proposeOne", { offer: candidate.offer.title })}
                              onClick={() => onPropose(pair)}
                            >
                              {t("matching.console.propose")}
                            </Button>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <Title order={3} size="h5" mt="md" mb={4}>
              {t("matching.console.excluded", { count: suggestions.excluded.length })}
            </Title>
            {suggestions.excluded.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t("matching.console.noExcluded")}
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={600}>
                <Table data-testid="excluded-table">
                  <Table.Caption>{t("matching.console.excludedCaption")}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t("matching.columns.offer")}</Table.Th>
                      <Table.Th scope="col">{t("matching.columns.failed")}</Table.Th>
                      <Table.Th scope="col">{t("matching.columns.wouldBeScore")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {suggestions.excluded.map((e) => (
                      <Table.Tr key={e.offer.id}>
                        <Table.Td>
                          <OfferCell offer={e.offer} />
                        </Table.Td>
                        <Table.Td>
                          <FailedBadges failed={e.failed} />
                        </Table.Td>
                        <Table.Td>{formatScore(e.would_be_score, i18n.language)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
        );
      })}
    </Stack>
  );
}

/** Ranked request components an offer could serve, with why, why not, and selection for a proposal. */
export function OfferSuggestionsView({ data, selected, onToggle, onPropose }: { data: OfferSuggestions } & SelectionProps) {
  const { t, i18n } = useTranslation();
  const areaPath = useAreaPath();
  const offerLabel = useOfferLabel();
  const componentLabel = useComponentLabel();
  const keys = new Set(selected.map(pairKey));
  const scale = sharedScale(data.candidates.map((c) => c.contributions));
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed">
          {t("matching.console.criteriaVersion", { version: data.criteria_version })} {t("matching.console.offerRankNote")}
        </Text>
        <ContributionLegend names={CONTRIBUTIONS} />
      </Group>
      <Card withBorder component="section" padding="md">
        <Title order={2} size="h4" mb="xs">
          {t("matching.console.candidateComponents")}
        </Title>
        {data.candidates.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t("matching.console.noCandidates")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm">
              <Table.Caption>{t("matching.console.componentsCaption", { offer: data.offer.title })}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("matching.columns.select")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.rank")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.component")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.why")}</Table.Th>
                  <Table.Th scope="col">{t("app.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.candidates.map((candidate) => {
                  const pair: ProposalPair = {
                    componentId: candidate.component.id,
                    offerId: data.offer.id,
                    rank: candidate.rank,
                    rankKnown: false,
                    score: candidate.score,
                    contributions: candidate.contributions,
                    componentLabel: componentLabel(candidate.component),
                    offerLabel: offerLabel(data.offer),
                  };
                  return (
                    <Table.Tr key={candidate.component.id} data-testid="candidate-row" data-rank={candidate.rank}>
                      <Table.Td>
                        <Checkbox
                          aria-label={t("matching.console.selectComponent", { request: candidate.component.title, area: areaPath(candidate.component.area_code) })}
                          checked={keys.has(pairKey(pair))}
                          onChange={() => onToggle(pair)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Badge variant={candidate.rank === 1 ? "filled" : "light"} aria-label={t("matching.console.rankLabel", { rank: candidate.rank })}>
                          {candidate.rank}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <ComponentCell component={candidate.component} />
                      </Table.Td>
                      <Table.Td w="45%">
                        <ContributionBar contributions={candidate.contributions} score={candidate.score} scale={scale} />
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconCirclePlus size={14} aria-hidden />}
                          aria-label={t("matching.console.proposeComponent", { request: candidate.component.title })}
                          onClick={() => onPropose(pair)}
                        >
                          {t("matching.console.propose")}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Title order={3} size="h5" mt="md" mb={4}>
          {t("matching.console.excluded", { count: data.excluded.length })}
        </Title>
        {data.excluded.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t("matching.console.noExcluded")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table data-testid="excluded-table">
              <Table.Caption>{t("matching.console.excludedCaption")}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("matching.columns.component")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.failed")}</Table.Th>
                  <Table.Th scope="col">{t("matching.columns.wouldBeScore")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.excluded.map((e) => (
                  <Table.Tr key={e.component.id}>
                    <Table.Td>
                      <ComponentCell component={e.component} />
                    </Table.Td>
                    <Table.Td>
                      <FailedBadges failed={e.failed} />
                    </Table.Td>
                    <Table.Td>{formatScore(e.would_be_score, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}
