import { bytesToHex } from "../../primitives/hex.ts";
import { difference, runEjs, runOurs } from "./engines.ts";
import { assemble, mutate, program, randomBytes, Rng, type Program } from "./generate.ts";

export interface Divergence {
  seed: number;
  kind: string;
  code: string;
  calldata: string;
  gas: number;
  difference: string;
}

/** One case from its seed: a structured program, random bytes, or a mutation of `seeds` code. */
export interface CaseResult {
  /** How ours ended (the same as the reference's unless `divergence` says otherwise). */
  status: string;
  divergence?: Divergence;
}

export async function runCase(seed: number, seeds: Uint8Array[]): Promise<CaseResult> {
  const r = new Rng(seed);
  const mode = r.int(10);
  const gas = 30_000 + r.int(970_000);
  const calldata = randomBytes(r, r.int(100));
  if (mode < 7) {
    const p = program(r);
    const { diff, status } = await compare(assemble(p), calldata, gas);
    if (diff === undefined) return { status };
    const small = await shrink(p, calldata, gas);
    return { status, divergence: { seed, kind: "program", code: bytesToHex(assemble(small.p)), calldata: bytesToHex(calldata), gas, difference: small.diff } };
  }
  const code = mode < 9 || seeds.length === 0 ? randomBytes(r, 1 + r.int(200)) : mutate(r, r.pick(seeds));
  const { diff, status } = await compare(code, calldata, gas);
  return diff === undefined ? { status } : { status, divergence: { seed, kind: mode < 9 ? "random bytes" : "mutation", code: bytesToHex(code), calldata: bytesToHex(calldata), gas, difference: diff } };
}

async function compare(code: Uint8Array, calldata: Uint8Array, gas: number): Promise<{ diff?: string; status: string }> {
  let ours;
  try {
    ours = runOurs(code, calldata, gas);
  } catch (e) {
    return { diff: `ours threw: ${(e as Error).message}`, status: "threw" };
  }
  return { diff: difference(ours, await runEjs(code, calldata, gas)), status: ours.status };
}

/** Drops segments while the programs still diverge: the smallest program that shows it. */
async function shrink(p: Program, calldata: Uint8Array, gas: number): Promise<{ p: Program; diff: string }> {
  let best = p;
  let diff = (await compare(assemble(p), calldata, gas)).diff!;
  for (let i = best.segments.length - 1; i >= 0; i--) {
    const candidate = { ...best, segments: best.segments.filter((_, k) => k !== i) };
    const d = (await compare(assemble(candidate), calldata, gas)).diff;
    if (d !== undefined) {
      best = candidate;
      diff = d;
    }
  }
  return { p: best, diff };
}
