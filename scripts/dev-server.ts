import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./anvil.ts";
import { createDevProject, offline } from "./dev-project.ts";
import { operatorSecret } from "./operator.ts";

/** A real `wrangler dev` (local D1, Durable Objects, queue, R2) on a fresh database and a free port: browser tests and the load test. */
export interface DevServer {
  url: string;
  /** The operator's secret it was started with. */
  secret: string;
  /** What wrangler printed: shown when something fails. */
  log(): string;
  stop(): Promise<void>;
}

const ROOT = new URL("../", import.meta.url).pathname;
/** wrangler's own script, without npx's lookup (seconds on a busy machine). */
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const env = { ...offline, CI: "true", NO_COLOR: "1" };


function wrangler(args: string[], detached = false): { proc: ChildProcess; output: () => string } {
  const proc = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  return { proc, output: () => out };
}

function exited(p: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve(p.exitCode) : p.once("exit", (code) => resolve(code))));
}

/**
 * Starts `wrangler dev` (which also builds the console) and, meanwhile, makes the schema in its
 * fresh local database in one `d1 execute` (the dev server opens the database only at its first
 * query); then makes the development project through the operator's route, as `npm run dev` does.
 */
export async function startDevServer(chainId = 31337, vars: Record<string, string> = {}): Promise<DevServer> {
  const dir = mkdtempSync(join(tmpdir(), "edge-evm-dev-"));
  const persist = join(dir, "state");
  const migrations = readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")).sort();
  const seedFile = join(dir, "seed.sql");
  writeFileSync(seedFile, migrations.map((f) => readFileSync(join(ROOT, "migrations", f), "utf8")).join("\n"));
  const seed = wrangler(["d1", "execute", "DB", "--local", "--persist-to", persist, "--file", seedFile]);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // wrangler dev prefers a .dev.vars of the checkout (npm run dev writes one) to --var: use its secret then.
  const secret = operatorSecret() ?? [...crypto.getRandomValues(new Uint8Array(24))].map((b) => b.toString(16).padStart(2, "0")).join("");
  // Its own process group, so that stopping it stops workerd too.
  const dev = wrangler(["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist, "--var", `OPERATOR_SECRET:${secret}`, ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`])], true);
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-dev.proc.pid!, s);
    } catch {
      // The group is gone already.
    }
  };
  // Should the test process end without stopping it (a crash, a kill), the server goes too.
  process.once("exit", () => signal("SIGKILL"));
  // wrangler, then whatever of its group outlived it: a workerd can ignore SIGTERM.
  const stop = async () => {
    signal("SIGTERM");
    await Promise.race([exited(dev.proc), new Promise((r) => setTimeout(r, 5000))]);
    signal("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  const fail = async (why: string, output: string) => {
    await stop();
    throw new Error(`${why}:\n${output}`);
  };
  const deadline = Date.now() + 90_000;
  while (!(await fetch(`${url}/console/app.js`, { method: "HEAD" }).then((r) => r.ok, () => false))) {
    if (dev.proc.exitCode !== null) await fail(`wrangler dev exited (${dev.proc.exitCode})`, dev.output());
    if (Date.now() > deadline) await fail("wrangler dev did not answer within 90 s", dev.output());
    await new Promise((r) => setTimeout(r, 200));
  }
  if ((await exited(seed.proc)) !== 0) await fail("wrangler d1 execute (schema) failed", seed.output());
  await createDevProject(url, secret, chainId).catch((e) => fail(`the development project could not be made (${(e as Error).message})`, dev.output()));
  return { url, secret, log: dev.output, stop };
}
