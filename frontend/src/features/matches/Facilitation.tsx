import { Button, Group, MultiSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { notifications } from "@mantine/notifications";
import { IconLock } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "@/components/ErrorAlert";
import { Loading } from "@/components/Loading";
import { ApiError } from "@/lib/api";
import { formatDateTime, formatDay } from "@/lib/format";
import { useAddNote, useFacilitators, useNextAction, useNotes, useUnhcrOffices } from "./api";
import type { FacilitatorView } from "./logic";
import { READABLE_ERRORS } from "@/components/matching/a11y";

/** The facilitating UNHCR offices; the Secretariat assigns them. */
export function FacilitatorsEditor({ view, canAssign }: { view: FacilitatorView; canAssign: boolean }) {
  const { t } = useTranslation();
  const offices = useUnhcrOffices(canAssign);
  const save = useFacilitators(view.id);
  const current = view.facilitators.map((f) => f.id);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const value = chosen ?? current;
  const options = [
    ...view.facilitators.map((f) => ({ value: f.id, label: f.name })),
    ...(offices.data ?? []).filter((o) => !current.includes(o.id)).map((o) => ({ value: o.id, label: o.name })),
  ];
  const fields = save.error instanceof ApiError ? save.error.fieldMap() : {};
  return (
    <Stack gap="xs" data-testid="facilitators" style={READABLE_ERRORS}>
      {view.facilitators.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("matches.facilitation.noFacilitators")}
        </Text>
      ) : (
        <Text size="sm">{view.facilitators.map((f) => f.name).join(" · ")}</Text>
      )}
      {canAssign && (
        <Group align="flex-end" wrap="wrap">
          <MultiSelect
            label={t("matches.facilitation.assign")}
            searchable
            clearable
            data={options}
            value={value}
            onChange={setChosen}
            error={Object.values(fields)[0]}
            nothingFoundMessage={offices.isLoading ? t("app.loading") : t("app.noResults")}
            comboboxProps={{ withinPortal: true }}
            style={{ flex: "1 1 360px" }}
          />
          <Button
            loading={save.isPending}
            disabled={chosen === null}
            onClick={() =>
              save.mutate(value, {
                onSuccess: () => {
                  setChosen(null);
                  notifications.show({ color: "green", message: t("matches.facilitation.assigned") });
                },
              })
            }
          >
            {t("matches.facilitation.saveFacilitators")}
          </Button>
        </Group>
      )}
      {save.error && !(save.error instanceof ApiError && save.error.fields.length > 0) && <ErrorAlert error={save.error} />}
    </Stack>
  );
}

/** The facilitators' next action and its date (overdue ones come first in their queue). */
export function NextActionEditor({ view }: { view: FacilitatorView }) {
  const { t, i18n } = useTranslation();
  const save = useNextAction(view.id);
  const [text, setText] = useState(view.next_action ?? "");
  const [date, setDate] = useState<string | null>(view.next_action_on);
  const fields = save.error instanceof ApiError ? save.error.fieldMap() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { next_action: text.trim() || null, next_action_on: date },
      { onSuccess: () => notifications.show({ color: "green", message: t("matches.facilitation.nextActionSaved") }) },
    );
  };
  return (
    <form onSubmit={submit} noValidate style={READABLE_ERRORS}>
      <Stack gap="xs">
        {view.next_action && (
          <Text size="sm">
            {t("matches.facilitation.currentNextAction", { action: view.next_action, date: view.next_action_on ? formatDay(view.next_action_on, i18n.language) : "—" })}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t("matches.facilitation.nextAction")} maxLength={1000} value={text} error={fields.next_action} onChange={(e) => setText(e.currentTarget.value)} />
          <DatePickerInput label={t("matches.facilitation.nextActionOn")} clearable valueFormat="LL" value={date} error={fields.next_action_on} onChange={setDate} />
        </SimpleGrid>
        {save.error && !(save.error instanceof ApiError && save.error.fields.length > 0) && <ErrorAlert error={save.error} />}
        <Group>
          <Button type="submit" variant="light" loading={save.isPending}>
            {t("matches.facilitation.saveNextAction")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Facilitators' private notes: never shown to the parties. */
export function NotesPanel({ view }: { view: FacilitatorView }) {
  const { t, i18n } = useTranslation();
  const notes = useNotes(view.id, true);
  const add = useAddNote(view.id);
  const [body, setBody] = useState("");
  const fields = add.error instanceof ApiError ? add.error.fieldMap() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    add.mutate(body.trim(), { onSuccess: () => setBody("") });
  };
  return (
    <Stack gap="sm" data-testid="notes">
      <Group gap={6}>
        <IconLock size={16} color="var(--mantine-color-red-8)" aria-hidden />
        <Text size="sm" c="dimmed">
          {t("matches.facilitation.notesPrivate")}
        </Text>
      </Group>
      <form onSubmit={submit} noValidate style={READABLE_ERRORS}>
        <Stack gap="xs">
          <Textarea label={t("matches.facilitation.newNote")} minRows={2} autosize maxLength={10000} value={body} error={fields.body} onChange={(e) => setBody(e.currentTarget.value)} />
          {add.error && !(add.error instanceof ApiError && add.error.fields.length > 0) && <ErrorAlert error={add.error} />}
          <Group>
            <Button type="submit" variant="light" loading={add.isPending} disabled={!body.trim()}>
              {t("matches.facilitation.addNote")}
            </Button>
          </Group>
        </Stack>
      </form>
      {notes.isLoading && <Loading />}
      {notes.isError && <ErrorAlert error={notes.error} onRetry={() => void notes.refetch()} />}
      {notes.data && notes.data.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("matches.facilitation.noNotes")}
        </Text>
      )}
      {notes.data && notes.data.length > 0 && (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
          {notes.data.map((note) => (
            <Paper key={note.id} component="li" withBorder p="xs">
              <Text size="xs" c="dimmed">
                {formatDateTime(note.created_at, i18n.language)}
              </Text>
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                {note.body}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

export function FacilitationSection({ view, canAssign }: { view: FacilitatorView; canAssign: boolean }) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <div>
        <Title order={3} size="h5" mb={4}>
          {t("matches.facilitation.facilitators")}
        </Title>
        <FacilitatorsEditor view={view} canAssign={canAssign} />
      </div>
      <div>
        <Title order={3} size="h5" mb={4}>
          {t("matches.facilitation.nextActionTitle")}
        </Title>
        <NextActionEditor view={view} />
      </div>
      <div>
        <Title order={3} size="h5" mb={4}>
          {t("matches.facilitation.notes")}
        </Title>
        <NotesPanel view={view} />
      </div>
    </Stack>
  );
}
