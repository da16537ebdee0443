import { Button, type ButtonProps, Group, Modal, Radio, Select, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconBulb } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ErrorAlert } from "@/components/ErrorAlert";
import { currentLanguage } from "@/i18n";
import { api } from "@/lib/api";
import { unwrapWithETag } from "@/lib/commitments";
import { type ItemLanguage, itemKey, ITEM_LANGUAGES, KNOWLEDGE_KEY, LANGUAGE_NAMES } from "./api";

/**
 * Turns a closed match (fulfilled or cancelled) into a draft project or good practice, prefilled by the server
 * from the match and its reports, then opens the draft's editor. For the Secretariat, the match's facilitators
 * and the parties' focal points and editors; show it on a match page once the match is closed (the server
 * refuses other matches, and the refusal is shown in the dialog).
 */
export function CreateKnowledgeFromMatchButton({
  matchId,
  organisationId,
  ...buttonProps
}: { matchId: string; organisationId?: string } & Omit<ButtonProps, "onClick">) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [kind, setKind] = useState<"good_practice" | "project">("good_practice");
  const [language, setLanguage] = useState<ItemLanguage>(currentLanguage());
  const create = useMutation({
    mutationFn: () =>
      unwrapWithETag(
        api.POST("/api/v1/knowledge/items/from-match", {
          body: { match_id: matchId, kind, language, ...(organisationId ? { organisation_id: organisationId } : {}) },
        }),
      ),
    onSuccess: (saved) => {
      client.setQueryData(itemKey(saved.data.id), saved);
      void client.invalidateQueries({ queryKey: [KNOWLEDGE_KEY] });
      setOpened(false);
      notifications.show({ color: "green", message: t("knowledge.fromMatch.created") });
      void navigate(`/knowledge/${saved.data.id}/edit`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <>
      <Button variant="light" leftSection={<IconBulb size={16} aria-hidden />} {...buttonProps} onClick={() => { create.reset(); setOpened(true); }}>
        {t("knowledge.fromMatch.button")}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t("knowledge.fromMatch.title")} centered>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t("knowledge.fromMatch.intro")}</Text>
            <Radio.Group label={t("knowledge.fields.kind")} value={kind} onChange={(value) => setKind(value as typeof kind)}>
              <Group mt="xs">
                <Radio value="good_practice" label={t("knowledge.kinds.good_practice")} />
                <Radio value="project" label={t("knowledge.kinds.project")} />
              </Group>
            </Radio.Group>
            <Select
              label={t("knowledge.fields.language")}
              allowDeselect={false}
              data={ITEM_LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
              value={language}
              onChange={(value) => value && setLanguage(value as ItemLanguage)}
              comboboxProps={{ withinPortal: true }}
            />
            {create.error && <ErrorAlert error={create.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpened(false)}>
                {t("app.cancel")}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t("knowledge.fromMatch.submit")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
