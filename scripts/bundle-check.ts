/**
 * `npm run check:bundle`: bundles the Worker exactly as `wrangler deploy` would (`--dry-run`: no
 * account, nothing uploaded) and fails when its compressed size is over the budget. Run by CI
 * (.ci/run), so that the Worker always still bundles for deployment and stays small: Cloudflare
 * refuses Workers over 3 MiB (Free) or 10 MiB (Paid) compressed, and a larger bundle starts slower.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { offline } from "./dev-project.ts";

/**
 * KiB, gzip, as wrangler reports it: 401.4 before inlining the KZG point, 182.7 after; 195.6 with
 * valibot schemas and the OpenAPI document, 209.3 with viem's ABI decoder, 225.1 with the
 * JSON-RPC filters, dev methods and spec-exact simulated blocks. The budget catches a regression
 * of the KZG kind (a dependency pulled in whole), with room for features.
 */
const BUDGET_GZIP_KIB = 256;

/** wrangler's `Total Upload: 688.20 KiB / gzip: 182.71 KiB`. */
function uploadSize(output: string): { kib: number; gzipKib: number } | undefined {
  const m = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output);
  return m === null ? undefined : { kib: Number(m[1]), gzipKib: Number(m[2]) };
}

function main(): number {
  const outdir = mkdtempSync(join(tmpdir(), "edge-evm-bundle-"));
  try {
    const r = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], { encoding: "utf8", env: { ...offline, CI: "true" } });
    const output = `${r.stdout}\n${r.stderr}`;
    const size = uploadSize(output);
    if (r.status !== 0 || size === undefined) {
      console.error(output);
      console.error(`wrangler deploy --dry-run failed (exit ${r.status}): the Worker does not bundle for deployment`);
      return 1;
    }
    const verdict = size.gzipKib <= BUDGET_GZIP_KIB ? "within" : "OVER";
    console.log(`Worker bundle: ${size.kib} KiB, ${size.gzipKib} KiB gzip: ${verdict} the budget of ${BUDGET_GZIP_KIB} KiB gzip`);
    return size.gzipKib <= BUDGET_GZIP_KIB ? 0 : 1;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

process.exit(main());
