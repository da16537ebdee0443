import { ActionIcon, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import {
  type AttachmentDraft,
  type ContactDraft,
  emptyAttachment,
  emptyContact,
} from "@/components/commitments/drafts";
import type { FieldMap } from "@/lib/fieldErrors";

const MAX_CONTACTS = 20;
const MAX_ATTACHMENTS = 30;

/** Contact persons as repeatable rows (name required; role, e-mail, phone optional). */
export function ContactsEditor({
  value,
  onChange,
  errors = {},
}: {
  value: ContactDraft[];
  onChange: (value: ContactDraft[]) => void;
  errors?: Record<string, FieldMap>;
}) {
  const { t } = useTranslation();
  const update = (key: string, patch: Partial<ContactDraft>) => onChange(value.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs">
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("commitments.form.noContacts")}
        </Text>
      )}
      {value.map((row, index) => {
        const e = errors[row.key] ?? {};
        const number = index + 1;
        return (
          <Group key={row.key} align="flex-start" wrap="wrap" gap="xs" data-testid="contact-row">
            <TextInput
              label={t("commitments.fields.contactName", { number })}
              required
              value={row.name}
              error={e.name}
              onChange={(ev) => update(row.key, { name: ev.currentTarget.value })}
              style={{ flex: "1 1 180px" }}
            />
            <TextInput
              label={t("commitments.fields.contactRole", { number })}
              value={row.role}
              error={e.role}
              onChange={(ev) => update(row.key, { role: ev.currentTarget.value })}
              style={{ flex: "1 1 160px" }}
            />
            <TextInput
              label={t("commitments.fields.contactEmail", { number })}
              type="email"
              value={row.email}
              error={e.email}
              onChange={(ev) => update(row.key, { email: ev.currentTarget.value })}
              style={{ flex: "1 1 200px" }}
            />
            <TextInput
              label={t("commitments.fields.contactPhone", { number })}
              type="tel"
              value={row.phone}
              error={e.phone}
              onChange={(ev) => update(row.key, { phone: ev.currentTarget.value })}
              style={{ flex: "1 1 140px" }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              aria-label={t("commitments.form.removeContact", { number })}
              onClick={() => onChange(value.filter((r) => r.key !== row.key))}
            >
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          disabled={value.length >= MAX_CONTACTS}
          onClick={() => onChange([...value, emptyContact()])}
        >
          {t("commitments.form.addContact")}
        </Button>
      </Group>
    </Stack>
  );
}

/** Links to documents kept elsewhere (the platform stores no files with requests and offers). */
export function AttachmentsEditor({
  value,
  onChange,
  errors = {},
}: {
  value: AttachmentDraft[];
  onChange: (value: AttachmentDraft[]) => void;
  errors?: Record<string, FieldMap>;
}) {
  const { t } = useTranslation();
  const update = (key: string, patch: Partial<AttachmentDraft>) => onChange(value.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs">
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("commitments.form.noAttachments")}
        </Text>
      )}
      {value.map((row, index) => {
        const e = errors[row.key] ?? {};
        const number = index + 1;
        return (
          <Group key={row.key} align="flex-start" wrap="wrap" gap="xs" data-testid="attachment-row">
            <TextInput
              label={t("commitments.fields.attachmentTitle", { number })}
              required
              value={row.title}
              error={e.title}
              onChange={(ev) => update(row.key, { title: ev.currentTarget.value })}
              style={{ flex: "1 1 220px" }}
            />
            <TextInput
              label={t("commitments.fields.attachmentUrl", { number })}
              required
              type="url"
              placeholder="https://"
              value={row.url}
              error={e.url}
              onChange={(ev) => update(row.key, { url: ev.currentTarget.value })}
              style={{ flex: "2 1 300px" }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              aria-label={t("commitments.form.removeAttachment", { number })}
              onClick={() => onChange(value.filter((r) => r.key !== row.key))}
            >
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          disabled={value.length >= MAX_ATTACHMENTS}
          onClick={() => onChange([...value, emptyAttachment()])}
        >
          {t("commitments.form.addAttachment")}
        </Button>
      </Group>
    </Stack>
  );
}
