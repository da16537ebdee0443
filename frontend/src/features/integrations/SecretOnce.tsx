// The client id and a new secret, shown once (after registering a client or rotating its secret). The dialog
// cannot be dismissed by a stray click or Escape: the user confirms the secret is stored, and then it is gone
// from the page (the caller drops it).
import { ActionIcon, Alert, Button, Checkbox, CopyButton, Group, Modal, Stack, Text, TextInput, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

export type ShownSecret = { clientId: string; secret: string; name: string; rotated: boolean };

function Copyable({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={label}
      value={value}
      readOnly
      data-testid={testId}
      styles={{ input: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace" } }}
      onFocus={(event) => event.currentTarget.select()}
      rightSection={
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t("integrations.secret.copied") : t("integrations.secret.copy", { what: label })} withArrow>
              <ActionIcon
                variant="subtle"
                color={copied ? "teal" : "gray"}
                onClick={copy}
                aria-label={copied ? t("integrations.secret.copied") : t("integrations.secret.copy", { what: label })}
              >
                {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}

export function SecretOnceModal({ shown, onDone }: { shown: ShownSecret | null; onDone: () => void }) {
  const { t } = useTranslation();
  const [stored, setStored] = useState(false);
  const done = () => {
    setStored(false);
    onDone();
  };
  return (
    <Modal
      opened={shown !== null}
      onClose={done}
      title={shown?.rotated ? t("integrations.secret.rotatedTitle") : t("integrations.secret.title")}
      size="lg"
      closeOnClickOutside={false}
      closeOnEscape={false}
      withCloseButton={false}
    >
      {shown && (
        <Stack gap="md" data-testid="secret-once">
          <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} title={t("integrations.secret.warningTitle")}>
            {t("integrations.secret.warning", { name: shown.name })}
          </Alert>
          <Copyable label={t("integrations.fields.clientId")} value={shown.clientId} testId="shown-client-id" />
          <Copyable label={t("integrations.fields.clientSecret")} value={shown.secret} testId="shown-client-secret" />
          <Text size="sm" c="dimmed">
            {t("integrations.secret.usage")}
          </Text>
          <Checkbox
            label={t("integrations.secret.stored")}
            checked={stored}
            onChange={(event) => setStored(event.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button onClick={done} disabled={!stored}>
              {t("integrations.secret.done")}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
