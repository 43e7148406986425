import { Fork } from "../../evm/fork.ts";
import { getPrecompile } from "../../evm/precompiles/index.ts";
import { bigIntToAddress } from "../../primitives/hex.ts";
import { ours } from "./engines.ts";
import { WORST_CASES, type WorstCase } from "./worst-corpus.ts";

/** The service's gas cap per run (wrangler.toml MAX_GAS). */
export const SERVICE_GAS_CAP = 16_777_216;

export interface WorstRow {
  name: string;
  what: string;
  gas: number;
  ms: number;
  msPerMgas: number;
  /** Time of a run that spends the whole service cap at this speed. */
  msAtCap: number;
}

/** A worst case's precompile must accept its input: a failing call would measure nothing. */
function checkInput(w: WorstCase): void {
  if (w.precompile === undefined || w.name === "p256verify") return;
  const precompile = getPrecompile(bigIntToAddress(BigInt(w.precompile)), Fork.Prague);
  if (precompile === undefined || precompile(w.calldata, SERVICE_GAS_CAP, Fork.Prague) === null) throw new Error(`${w.name}: the precompile refuses the input`);
}

/** ms per million gas of each worst case, on our EVM with the service's gas cap; slowest first. */
export async function worstCases(filter?: RegExp): Promise<WorstRow[]> {
  const rows: WorstRow[] = [];
  for (const w of WORST_CASES.filter((c) => filter === undefined || filter.test(c.name))) {
    checkInput(w);
    const times: number[] = [];
    let gas = 0;
    for (let i = 0; i < 4; i++) {
      const p = await ours.prepare(w.code, w.calldata, SERVICE_GAS_CAP);
      const t0 = process.hrtime.bigint();
      const out = await p.run();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i > 0) times.push(ms);
      gas = out.execGas;
    }
    times.sort((a, b) => a - b);
    const ms = times[1];
    const msPerMgas = ms / (gas / 1e6);
    rows.push({ name: w.name, what: w.what, gas, ms, msPerMgas, msAtCap: (msPerMgas * SERVICE_GAS_CAP) / 1e6 });
  }
  return rows.sort((a, b) => b.msPerMgas - a.msPerMgas);
}

export function printWorst(rows: WorstRow[]): void {
  console.log(`${"worst case".padEnd(22)}${"gas".padStart(11)}${"ms".padStart(10)}${"ms/Mgas".padStart(10)}${"ms at 16.7M gas".padStart(17)}  what`);
  for (const r of rows) console.log(`${r.name.padEnd(22)}${String(r.gas).padStart(11)}${r.ms.toFixed(1).padStart(10)}${r.msPerMgas.toFixed(2).padStart(10)}${r.msAtCap.toFixed(0).padStart(17)}  ${r.what}`);
  const worst = rows[0];
  if (worst !== undefined) console.log(`\nslowest per gas: ${worst.name}, ${worst.msPerMgas.toFixed(2)} ms per million gas: a run spending the whole ${SERVICE_GAS_CAP} gas cap takes about ${worst.msAtCap.toFixed(0)} ms`);
}
