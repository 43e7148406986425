import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FORK_NAMES, forkFromName } from "../evm/fork.ts";
import { collectFixtureFiles } from "./statetest/files.ts";
import { KnownFailures, loadKnownFailures } from "./statetest/known.ts";
import { runPool } from "./statetest/pool.ts";
import { failureLine, jsonReport, summaryLines, Tally } from "./statetest/report.ts";

const USAGE = `usage: npm run statetest -- [options] <file-or-dir>...
  --fork NAME        run only this fork's post entries (repeatable; default: ${Object.values(FORK_NAMES).join(", ")})
  --filter REGEX     run only tests whose name (or folder/file label) matches
  --json             print a JSON report of every case instead of text
  --jobs N           worker threads (default: one per CPU core)
  --timeout-ms N     fail a case that runs longer than this (default 300000; 0 = none)
  --known FILE       known failures (default test/statetest-known-failures.json)
  --show-known       print known failures as they happen, not just their count`;

const DEFAULT_KNOWN = fileURLToPath(new URL("../../test/statetest-known-failures.json", import.meta.url));

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      fork: { type: "string", multiple: true },
      filter: { type: "string" },
      json: { type: "boolean", default: false },
      jobs: { type: "string" },
      "timeout-ms": { type: "string", default: "300000" },
      known: { type: "string", default: DEFAULT_KNOWN },
      "show-known": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const forks: string[] = [];
  for (const name of values.fork ?? Object.values(FORK_NAMES)) {
    const fork = forkFromName(name);
    if (fork === undefined) throw new UsageError(`unknown or unsupported fork ${name}`);
    forks.push(FORK_NAMES[fork]);
  }
  if (values.filter !== undefined) new RegExp(values.filter); // a bad pattern fails here, not in every worker
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  const timeoutMs = Number(values["timeout-ms"]);
  if (!(jobs >= 1) || !(timeoutMs >= 0)) throw new UsageError("--jobs must be at least 1 and --timeout-ms at least 0");

  const missing = positionals.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new UsageError(`no such file or directory: ${missing.join(", ")}`);
  const files = collectFixtureFiles(positionals);
  const tally = new Tally(new KnownFailures(loadKnownFailures(values.known)), values.json);
  const started = performance.now();
  await runPool({
    files,
    jobs,
    config: { forks, filter: values.filter },
    timeoutMs,
    onResult: (r) => {
      const c = tally.add(r);
      if (values.json) return;
      if (c.status === "fail" || (c.status === "known" && values["show-known"])) console.log(failureLine(c));
    },
    onFileDone: (s) => tally.addFile(s),
  });
  const seconds = (performance.now() - started) / 1000;
  if (values.json) console.log(jsonReport(tally, seconds));
  else for (const line of summaryLines(tally, values.known, seconds)) console.log(line);
  return tally.broken ? 1 : 0;
}

class UsageError extends Error {
  override name = "StateTest.UsageError";
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : e.stack);
    process.exitCode = 2;
  },
);
