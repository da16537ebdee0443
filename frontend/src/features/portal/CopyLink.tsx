import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

type CopyState = "idle" | "copied" | "failed";

/** Copies `text` to the clipboard; where the browser refuses, selects it in the field for a manual copy. */
export async function copyText(text: string, field?: HTMLInputElement | null): Promise<boolean> {
  try {
    if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.focus();
    field?.select();
    return false;
  }
}

/** The page's share link, shown in a read-only field, with a button that copies it. */
export function CopyLink({ url }: { url: string }) {
  const { t } = useTranslation();
  const field = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<CopyState>("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 4000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput ref={field} label={t("portal.share.label")} value={url} readOnly style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} />
        <Button
          variant={state === "copied" ? "filled" : "light"}
          color={state === "copied" ? "teal" : "blue"}
          leftSection={state === "copied" ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
          onClick={() => void copyText(url, field.current).then((ok) => setState(ok ? "copied" : "failed"))}
        >
          {state === "copied" ? t("portal.share.copied") : t("portal.share.copy")}
        </Button>
      </Group>
      <Text size="xs" c={state === "failed" ? "red.8" : "dimmed"} role="status" aria-live="polite" mih={18}>
        {state === "copied" ? t("portal.share.copiedNote") : state === "failed" ? t("portal.share.failed") : ""}
      </Text>
    </Stack>
  );
}
