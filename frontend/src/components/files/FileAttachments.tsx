/**
 * FileAttachments: the files and links attached to one record, for any kind of record the backend registers as
 * a file owner (`ownerType`, e.g. "knowledge_item": see `register_file_owner` in api/files/service.py).
 *
 *   <FileAttachments ownerType="knowledge_item" ownerId={item.id} attachments={item.attachments}
 *                    canEdit={item.can_edit} onChange={() => void query.refetch()} />
 *
 * - Lists every attachment in a table: name, type, size and a download link for stored files; the address
 *   for links to documents kept elsewhere (links are edited with the owner record's own form, not here).
 * - With `canEdit`: uploads a file to POST /api/v1/files (the accepted types and the size limit are shown
 *   next to the control; files that would be refused are caught before sending; the server's 413 and 422
 *   refusals are explained in an alert) and removes stored files after a confirmation.
 * - `attachments` comes from the owner record. Uploads and removals show at once; `onChange` tells the owner
 *   page, which usually refetches its record (the list then follows the server).
 * - Renders no heading of its own: place it under the owner page's "Attachments" heading.
 */
import { ActionIcon, Alert, Anchor, Button, Card, FileInput, Group, Modal, Stack, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDownload, IconExternalLink, IconPaperclip, IconTrash, IconUpload } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "@/lib/api";
import { ACCEPT, checkFile, FILE_TYPES, type FileProblem, fileTypeLabel, formatFileSize, MAX_FILE_BYTES, type UploadProblem, uploadProblem } from "./fileRules";

export type StoredFile = Schemas["StoredFileOut"];

/** One attachment as owner records return it (a stored file, or a link to a document kept elsewhere). */
export type AttachmentEntry = {
  kind: "file" | "link";
  title: string;
  url: string;
  file_id?: string | null;
  file_name?: string | null;
  content_type?: string | null;
  size_bytes?: number | null;
};

export type AttachmentChange = { type: "uploaded"; file: StoredFile } | { type: "removed"; fileId: string };

/** A stored file (the upload's answer) as an attachment entry. */
export function entryFromStoredFile(file: StoredFile): AttachmentEntry {
  return {
    kind: "file",
    title: file.title ?? file.file_name,
    url: file.download_url,
    file_id: file.id,
    file_name: file.file_name,
    content_type: file.content_type,
    size_bytes: file.size_bytes,
  };
}

/** Only web, mail and same-site addresses become links; anything else (`javascript:`...) is shown as text. */
export function isSafeHref(url: string): boolean {
  const trimmed = url.trim();
  if (trimmed.startsWith("/") && !trimmed.startsWith("//")) return true;
  return /^(https?:|mailto:)/i.test(trimmed);
}

function useProblemText(): (problem: FileProblem | UploadProblem) => string {
  const { t, i18n } = useTranslation();
  return (problem) => {
    switch (problem.kind) {
      case "empty":
        return t("files.errors.empty");
      case "tooLarge":
        return t("files.errors.tooLarge", { max: formatFileSize(problem.maxBytes, i18n.language) });
      case "type":
        return t("files.errors.type", { types: FILE_TYPES.map((f) => t(`files.types.${f.label}`)).join(", ") });
      case "typeRefused":
        return t("files.errors.typeRefused", { reason: problem.reason });
      case "server":
        return problem.message;
    }
  };
}

async function uploadFile(input: { file: File; title: string; ownerType: string; ownerId: string }): Promise<StoredFile> {
  const form = new FormData();
  form.append("file", input.file, input.file.name);
  form.append("owner_type", input.ownerType);
  form.append("owner_id", input.ownerId);
  if (input.title.trim()) form.append("title", input.title.trim());
  // The typed body describes the multipart fields; the browser sets the multipart content type and boundary.
  return unwrap(api.POST("/api/v1/files", { body: form as never, bodySerializer: (body: unknown) => body as FormData }));
}

async function deleteFile(fileId: string): Promise<void> {
  await unwrap(api.DELETE("/api/v1/files/{file_id}", { params: { path: { file_id: fileId } } }));
}

export function FileAttachments({
  ownerType,
  ownerId,
  attachments,
  canEdit,
  onChange,
  maxBytes = MAX_FILE_BYTES,
}: {
  ownerType: string;
  ownerId: string;
  attachments: readonly AttachmentEntry[];
  canEdit: boolean;
  onChange?: (change: AttachmentChange) => void;
  maxBytes?: number;
}) {
  const { t, i18n } = useTranslation();
  const problemText = useProblemText();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState("");
  const [problem, setProblem] = useState<FileProblem | UploadProblem | null>(null);
  const [uploaded, setUploaded] = useState<AttachmentEntry[]>([]);
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [removing, setRemoving] = useState<AttachmentEntry | null>(null);

  const upload = useMutation({
    mutationFn: uploadFile,
    onSuccess: (stored) => {
      setUploaded((list) => [...list, entryFromStoredFile(stored)]);
      setFile(null);
      setTitle("");
      setProblem(null);
      notifications.show({ color: "green", message: t("files.uploaded", { name: stored.file_name }) });
      onChange?.({ type: "uploaded", file: stored });
    },
    onError: (error) => setProblem(uploadProblem(error, maxBytes)),
  });
  const remove = useMutation({
    mutationFn: deleteFile,
    onSuccess: (_, fileId) => {
      setRemoved((set) => new Set([...set, fileId]));
      setRemoving(null);
      notifications.show({ color: "green", message: t("files.removed") });
      onChange?.({ type: "removed", fileId });
    },
  });

  const isGone = (entry: AttachmentEntry) => Boolean(entry.file_id && removed.has(entry.file_id));
  const known = new Set(attachments.map((a) => a.file_id).filter(Boolean));
  const shown = [
    ...attachments.filter((a) => a.kind === "file" && !isGone(a)),
    ...uploaded.filter((u) => !known.has(u.file_id) && !isGone(u)),
    ...attachments.filter((a) => a.kind === "link"),
  ];

  const choose = (chosen: File | null) => {
    upload.reset();
    setFile(chosen);
    setProblem(chosen ? checkFile(chosen, maxBytes) : null);
  };
  const send = () => {
    if (!file) {
      setProblem(null);
      return;
    }
    const found = checkFile(file, maxBytes);
    setProblem(found);
    if (!found) upload.mutate({ file, title, ownerType, ownerId });
  };
  const limits = t("files.limits", {
    types: FILE_TYPES.map((f) => t(`files.types.${f.label}`)).join(", "),
    max: formatFileSize(maxBytes, i18n.language),
  });

  return (
    <Stack gap="sm" data-testid="file-attachments">
      {shown.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("files.none")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("files.columns.name")}</Table.Th>
                <Table.Th>{t("files.columns.type")}</Table.Th>
                <Table.Th>{t("files.columns.size")}</Table.Th>
                {canEdit && (
                  <Table.Th>
                    <VisuallyHidden>{t("app.actions")}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((entry, index) => (
                <Table.Tr key={entry.file_id ?? `${entry.url}-${index}`} data-testid="attachment">
                  <Table.Td>
                    {entry.kind === "file" ? (
                      <Stack gap={0}>
                        <Anchor href={entry.url} download={entry.file_name ?? true} size="sm">
                          <IconDownload size={14} aria-hidden style={{ verticalAlign: "middle", marginInlineEnd: 4 }} />
                          {entry.title}
                          <VisuallyHidden>{t("files.download")}</VisuallyHidden>
                        </Anchor>
                        {entry.file_name && entry.file_name !== entry.title && (
                          <Text size="xs" c="dimmed">
                            {entry.file_name}
                          </Text>
                        )}
                      </Stack>
                    ) : isSafeHref(entry.url) ? (
                      <Anchor href={entry.url} target="_blank" rel="noopener noreferrer" size="sm">
                        {entry.title} <IconExternalLink size={14} aria-hidden style={{ verticalAlign: "middle" }} />
                        <VisuallyHidden>{t("app.opensInNewTab")}</VisuallyHidden>
                      </Anchor>
                    ) : (
                      <Text size="sm">
                        {entry.title} ({entry.url})
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {entry.kind === "link"
                        ? t("files.types.link")
                        : (() => {
                            const label = fileTypeLabel(entry.content_type);
                            return label ? t(`files.types.${label}`) : (entry.content_type ?? "");
                          })()}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.size_bytes != null ? formatFileSize(entry.size_bytes, i18n.language) : "—"}</Text>
                  </Table.Td>
                  {canEdit && (
                    <Table.Td>
                      {entry.kind === "file" && entry.file_id && (
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t("files.remove", { name: entry.title })}
                          onClick={() => {
                            remove.reset();
                            setRemoving(entry);
                          }}
                        >
                          <IconTrash size={18} aria-hidden />
                        </ActionIcon>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {canEdit && (
        <Card withBorder padding="sm" role="group" aria-labelledby={`${inputId}-legend`}>
          <Stack gap="xs">
            <Text id={`${inputId}-legend`} fw={600} size="sm">
              {t("files.addTitle")}
            </Text>
            <Group align="flex-start" wrap="wrap" gap="sm">
              <FileInput
                id={inputId}
                label={t("files.file")}
                description={limits}
                placeholder={t("files.choose")}
                accept={ACCEPT}
                clearable
                value={file}
                onChange={choose}
                leftSection={<IconPaperclip size={16} aria-hidden />}
                // The placeholder is real text here (not an input placeholder): it needs the contrast of text.
                styles={{ placeholder: { color: "var(--mantine-color-dimmed)" } }}
                error={problem ? true : undefined}
                style={{ flex: "2 1 280px" }}
              />
              <TextInput
                label={t("files.title")}
                description={t("files.titleHint")}
                maxLength={300}
                value={title}
                onChange={(e) => setTitle(e.currentTarget.value)}
                onKeyDown={(e) => {
                  // Enter uploads (and never submits a form this component sits in).
                  if (e.key === "Enter") {
                    e.preventDefault();
                    send();
                  }
                }}
                style={{ flex: "1 1 200px" }}
              />
            </Group>
            {problem && (
              <Alert color="red" role="alert" title={t("files.errors.title")} data-testid="upload-error">
                {problemText(problem)}
              </Alert>
            )}
            <Group>
              <Button
                leftSection={<IconUpload size={16} aria-hidden />}
                loading={upload.isPending}
                disabled={!file || (problem !== null && problem.kind !== "server" && problem.kind !== "typeRefused")}
                onClick={send}
              >
                {t("files.upload")}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}

      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={t("files.removeTitle")} centered>
        <Stack>
          <Text size="sm">{t("files.removeConfirm", { name: removing?.title ?? "" })}</Text>
          {remove.error && (
            <Alert color="red" role="alert">
              {problemText(uploadProblem(remove.error, maxBytes))}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>
              {t("app.cancel")}
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => removing?.file_id && remove.mutate(removing.file_id)}
            >
              {t("files.removeAction")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
