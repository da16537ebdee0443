import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
import { makeQueryClient, theme } from "@/App";
import { type AttachmentEntry, FileAttachments } from "@/components/files/FileAttachments";
import { json, mockApi } from "./mockApi";

afterEach(() => vi.restoreAllMocks());

const OWNER = "7f0c1a52-8f0e-4a3e-9d57-2b4f3f3f0b11";
const STORED: AttachmentEntry = {
  kind: "file",
  title: "Annual report",
  url: "/api/v1/files/f1/content",
  file_id: "f1",
  file_name: "annual-report.pdf",
  content_type: "application/pdf",
  size_bytes: 2_621_440,
};
const LINK: AttachmentEntry = { kind: "link", title: "Guidance on Refworld", url: "https://www.refworld.org/guidance" };

function stored(id: string, name: string, title: string | null = null) {
  return {
    id,
    owner_type: "knowledge_item",
    owner_id: OWNER,
    file_name: name,
    title,
    content_type: "application/pdf",
    size_bytes: 1536,
    sha256: "0".repeat(64),
    created_at: "2026-11-29T10:00:00Z",
    download_url: `/api/v1/files/${id}/content`,
  };
}

function renderAttachments(props: Partial<Parameters<typeof FileAttachments>[0]> = {}) {
  const onChange = vi.fn();
  const view = render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={makeQueryClient()}>
        <FileAttachments ownerType="knowledge_item" ownerId={OWNER} attachments={[STORED, LINK]} canEdit onChange={onChange} {...props} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  const input = view.container.querySelector('input[type="file"]') as HTMLInputElement | null;
  return { ...view, onChange, input };
}

function choose(input: HTMLInputElement | null, file: File) {
  expect(input).not.toBeNull();
  fireEvent.change(input as HTMLInputElement, { target: { files: [file] } });
}

const pdf = (name = "minutes.pdf", size = 1536) => new File([new Uint8Array(size).fill(37)], name, { type: "application/pdf" });

describe("FileAttachments", () => {
  test("lists files (name, type, size, download) and links; read-only without canEdit", () => {
    mockApi({});
    renderAttachments({ canEdit: false });
    const rows = screen.getAllByTestId("attachment");
    expect(rows).toHaveLength(2);
    const file = within(rows[0] as HTMLElement);
    expect(file.getByRole("link", { name: /Annual report/ }).getAttribute("href")).toBe("/api/v1/files/f1/content");
    expect(file.getByText("annual-report.pdf")).toBeTruthy();
    expect(file.getByText("PDF")).toBeTruthy();
    expect(file.getByText("2.5 MB")).toBeTruthy();
    const link = within(rows[1] as HTMLElement).getByRole("link", { name: /Guidance on Refworld/ });
    expect(link.getAttribute("target")).toBe("_blank");
    expect(screen.queryByRole("button", { name: /Upload|Remove/ })).toBeNull();
    expect(document.querySelector('input[type="file"]')).toBeNull();
  });

  test("shows the limits, and refuses a file that is too large or of another type before sending", async () => {
    const calls = mockApi({});
    const { input } = renderAttachments({ maxBytes: 1024 });
    expect(screen.getByText(/Up to 1 kB per file\./)).toBeTruthy();
    expect(screen.getByText(/Accepted: PDF, PNG image/)).toBeTruthy();
    choose(input, pdf("big.pdf", 4096));
    expect((await screen.findByRole("alert")).textContent).toContain("The file is too large: the limit is 1 kB per file.");
    expect(screen.getByRole("button", { name: "Upload" }).hasAttribute("disabled")).toBe(true);
    choose(input, new File(["MZ"], "setup.exe", { type: "application/x-msdownload" }));
    expect((await screen.findByRole("alert")).textContent).toContain("This type of file is not accepted.");
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  test("explains the server's 413 and 422 refusals", async () => {
    let answer = 413;
    mockApi({
      "POST /api/v1/files": () =>
        answer === 413
          ? json({ error: "PayloadTooLarge", detail: "The file is larger than the 10485760 bytes allowed", fields: [{ field: "file", message: "too large" }] }, 413)
          : json(
              {
                error: "UnsupportedFileType",
                detail: "HTML, SVG and other markup files are not accepted",
                fields: [{ field: "file", message: "HTML, SVG and other markup files are not accepted", type: "file_type" }],
              },
              422,
            ),
    });
    const { input } = renderAttachments();
    choose(input, pdf());
    await userEvent.click(screen.getByRole("button", { name: "Upload" }));
    expect((await screen.findByRole("alert")).textContent).toContain("The file is too large: the limit is 10 MB per file.");
    answer = 422;
    choose(input, pdf("page.pdf"));
    await userEvent.click(screen.getByRole("button", { name: "Upload" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("The platform refused this file: HTML, SVG and other markup files are not accepted"));
  });

  test("uploads to the owner record, then lists the file and tells the owner page", async () => {
    const calls = mockApi({ "POST /api/v1/files": () => json(stored("f2", "minutes.pdf", "Meeting minutes"), 201) });
    const { input, onChange } = renderAttachments();
    choose(input, pdf());
    await userEvent.type(screen.getByRole("textbox", { name: /Title \(optional\)/ }), "Meeting minutes");
    await userEvent.click(screen.getByRole("button", { name: "Upload" }));
    await waitFor(() => expect(screen.getAllByTestId("attachment")).toHaveLength(3));
    const post = calls.find((c) => c.method === "POST") as Request;
    const form = await post.formData();
    expect(form.get("owner_type")).toBe("knowledge_item");
    expect(form.get("owner_id")).toBe(OWNER);
    expect(form.get("title")).toBe("Meeting minutes");
    // (jsdom's File loses its name crossing into Node's FormData; the browser test checks a real upload.)
    expect((form.get("file") as Blob).size).toBe(1536);
    expect(post.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    expect(onChange).toHaveBeenCalledWith({ type: "uploaded", file: expect.objectContaining({ id: "f2" }) });
    // Files come before links; the new one is listed with its size.
    const rows = screen.getAllByTestId("attachment");
    expect(within(rows[1] as HTMLElement).getByRole("link", { name: /Meeting minutes/ })).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText("1.5 kB")).toBeTruthy();
  });

  test("removes a file after confirming", async () => {
    const calls = mockApi({ "DELETE /api/v1/files/f1": () => new Response(null, { status: 204 }) });
    const { onChange } = renderAttachments();
    await userEvent.click(screen.getByRole("button", { name: "Remove Annual report" }));
    await userEvent.click(await screen.findByRole("button", { name: "Remove the file" }));
    await waitFor(() => expect(screen.getAllByTestId("attachment")).toHaveLength(1));
    expect(calls.some((c) => c.method === "DELETE" && c.url.endsWith("/api/v1/files/f1"))).toBe(true);
    expect(onChange).toHaveBeenCalledWith({ type: "removed", fileId: "f1" });
  });
});
