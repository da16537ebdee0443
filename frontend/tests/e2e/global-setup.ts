import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

let server: ChildProcess | undefined;

/** Start `python -m tests.e2e_server` (fresh database with demo data) and hand its URL to the tests. */
export async function setup(project: TestProject): Promise<void> {
  const root = resolve(__dirname, "../../..");
  const python = resolve(root, ".venv/bin/python");
  const dist = process.env.ACSG_SPA_DIST ?? resolve(root, "frontend/dist");
  if (!existsSync(resolve(dist, "index.html"))) throw new Error(`Build the SPA first (make spa): ${dist}`);
  server = spawn(existsSync(python) ? python : "python3", ["-m", "tests.e2e_server"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  const baseURL = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error("e2e server did not start within 120 s")), 120_000);
    let buffer = "";
    server?.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = buffer.match(/READY (\S+)/);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    server?.on("exit", (code) => reject(new Error(`e2e server exited early (${code})`)));
  });
  project.provide("baseURL", baseURL);
}

export async function teardown(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((done) => server?.on("exit", done));
  server.kill("SIGTERM");
  await Promise.race([exited, new Promise((done) => setTimeout(done, 15_000).unref())]);
  server.stdout?.destroy();
  server.unref();
}
