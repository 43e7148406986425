import { printWorst, printWorstHeader, printWorstRow, SERVICE_GAS_CAP, worstCases } from "./worst.ts";
import { printSweep, sweep } from "./worst-sweep.ts";

/**
 * `npm run bench -- worst [--json] [--filter REGEX] [--sweep]`: the worst-case contracts on our
 * EVM at the service's gas cap (rows as they finish, then sorted by ms per million gas);
 * `--sweep` first times precompile inputs directly to find the slowest per gas.
 */
export async function worst(argv: string[]): Promise<void> {
  const json = argv.includes("--json");
  const at = argv.indexOf("--filter");
  const filter = at >= 0 ? new RegExp(argv[at + 1]) : undefined;
  const sweepRows = argv.includes("--sweep") ? sweep() : undefined;
  if (sweepRows !== undefined && !json) {
    console.log("precompile inputs, called directly (no EVM around them), slowest per gas first:");
    printSweep(sweepRows);
    console.log();
  }
  if (!json) printWorstHeader();
  const rows = await worstCases(filter, json ? undefined : printWorstRow);
  if (json) console.log(JSON.stringify({ gasCap: SERVICE_GAS_CAP, rows, sweep: sweepRows }, null, 2));
  else printWorst(rows);
}
