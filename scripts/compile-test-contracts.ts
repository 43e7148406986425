/**
 * Compiles test/contracts/*.sol with solc-js (pinned in package-lock.json) and writes one
 * artifact per contract, test/contracts/<Name>.json: {abi, bytecode, deployedBytecode}.
 * `npx tsx scripts/compile-test-contracts.ts` rewrites them; `--check` fails when a committed
 * artifact differs from a fresh compilation (test/contracts.test.ts runs the same comparison).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileContracts } from "../test/contracts/compile.ts";

const dir = fileURLToPath(new URL("../test/contracts/", import.meta.url));
const sources = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".sol")).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
const artifacts = compileContracts(sources);
const check = process.argv.includes("--check");
let stale = 0;
for (const [name, artifact] of Object.entries(artifacts)) {
  const path = join(dir, `${name}.json`);
  const text = `${JSON.stringify(artifact, null, 2)}\n`;
  if (!check) writeFileSync(path, text);
  else if (readFileSync(path, "utf8") !== text) {
    console.error(`${path} is out of date: run npx tsx scripts/compile-test-contracts.ts`);
    stale++;
  }
}
console.log(`${Object.keys(artifacts).length} contracts ${check ? "checked" : "written"}`);
process.exit(stale === 0 ? 0 : 1);
