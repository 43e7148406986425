import { FORK_NAMES } from "../../evm/fork.ts";
import type { KnownFailure, KnownFailures } from "./known.ts";
import type { CaseResult, FileSummary } from "./run-file.ts";

export type CaseStatus = "pass" | "fail" | "known";

export interface ReportedCase extends CaseResult {
  status: CaseStatus;
  knownReason?: string;
}

/** Collects results as they stream in and says what to print about them. */
export class Tally {
  passed = 0;
  failed = 0;
  known = 0;
  readonly cases: ReportedCase[] = [];
  readonly notRun: Record<string, number> = {};
  /** Cases by fork and status, for the per-fork line. */
  readonly byFork = new Map<string, Record<CaseStatus, number>>();
  readonly skippedFiles: { rel: string; why: string; error: boolean }[] = [];

  constructor(private readonly knownFailures: KnownFailures, private readonly keepCases: boolean) {}

  /** Records one case; returns its status. */
  add(r: CaseResult): ReportedCase {
    const k = this.knownFailures.match(r, r.pass);
    const status: CaseStatus = r.pass ? "pass" : k !== undefined ? "known" : "fail";
    if (status === "pass") this.passed++;
    else if (status === "fail") this.failed++;
    else this.known++;
    let f = this.byFork.get(r.fork);
    if (f === undefined) this.byFork.set(r.fork, (f = { pass: 0, fail: 0, known: 0 }));
    f[status]++;
    const reported: ReportedCase = { ...r, status, knownReason: k?.reason };
    if (this.keepCases) this.cases.push(reported);
    return reported;
  }

  addFile(s: FileSummary): void {
    for (const [fork, n] of Object.entries(s.notRun)) this.notRun[fork] = (this.notRun[fork] ?? 0) + n;
    if (s.skipped !== undefined) this.skippedFiles.push({ rel: s.rel, why: s.skipped, error: s.error === true });
  }

  /** Whether the run should fail: a new failure, or a file that could not be run. */
  get broken(): boolean {
    return this.failed > 0 || this.skippedFiles.some((f) => f.error);
  }

  nowPassing(): KnownFailure[] {
    return this.knownFailures.nowPassing();
  }
}

export function failureLine(r: ReportedCase): string {
  const { data, gas, value } = r.indexes;
  const tag = r.status === "known" ? "KNOWN" : "FAIL";
  return `${tag} ${r.label} ${r.fork} d=${data} g=${gas} v=${value}: ${r.reason ?? "failed"}`;
}

/** The closing lines; the last one always reads `N passed, N failed`. */
export function summaryLines(t: Tally, knownPath: string, seconds: number): string[] {
  const lines: string[] = [];
  for (const f of t.skippedFiles) lines.push(`skipped ${f.rel}: ${f.why}`);
  const notRun = Object.entries(t.notRun).sort((a, b) => b[1] - a[1]);
  if (notRun.length > 0) {
    const total = notRun.reduce((n, [, c]) => n + c, 0);
    lines.push(`not run: ${total} post entries of other forks (${notRun.map(([f, n]) => `${f} ${n}`).join(", ")})`);
  }
  if (t.byFork.size > 0) lines.push(`by fork: ${forkLine(t)}`);
  if (t.known > 0) lines.push(`${t.known} known failures (${knownPath})`);
  for (const k of t.nowPassing()) {
    const idx = k.indexes === undefined ? "" : ` d=${k.indexes.data} g=${k.indexes.gas} v=${k.indexes.value}`;
    lines.push(`now passing, remove from the known failures: ${k.test} ${k.fork}${idx}`);
  }
  const total = t.passed + t.failed + t.known;
  const rate = seconds > 0 ? Math.round(total / seconds) : total;
  lines.push(`${t.passed} passed, ${t.failed} failed (${total} cases in ${seconds.toFixed(1)} s, ${rate}/s)`);
  return lines;
}

/** `Frontier 16, Homestead 17, …` in the order forks came, failures and known failures noted. */
function forkLine(t: Tally): string {
  const order = Object.values(FORK_NAMES);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...t.byFork]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([fork, c]) => `${fork} ${c.pass}${c.fail > 0 ? ` (${c.fail} failed)` : ""}${c.known > 0 ? ` (${c.known} known)` : ""}`)
    .join(", ");
}

export function jsonReport(t: Tally, seconds: number): string {
  return JSON.stringify(
    {
      passed: t.passed,
      failed: t.failed,
      known: t.known,
      seconds,
      notRun: t.notRun,
      byFork: Object.fromEntries(t.byFork),
      skippedFiles: t.skippedFiles,
      nowPassing: t.nowPassing(),
      cases: t.cases.map((c) => ({
        file: c.rel,
        test: c.test,
        fork: c.fork,
        indexes: c.indexes,
        status: c.status,
        reason: c.reason,
        knownReason: c.knownReason,
      })),
    },
    null,
    2,
  );
}
