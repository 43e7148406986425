import type { Fork } from "../../evm/fork.ts";
import { bytesToHex } from "../../primitives/hex.ts";
import { runEjs, runOurs } from "./engines.ts";
import { assemble, program } from "./generate.ts";
import { difference } from "./outcome.ts";
import { Rng } from "./rng.ts";
import { mutate, type Seed } from "./seeds.ts";
import { shrinkCase, shrinkProgram, type Check } from "./shrink.ts";
import { soup } from "./soup.ts";

export interface Divergence {
  seed: number;
  kind: string;
  /** The smallest code and calldata found that still diverge. */
  code: string;
  calldata: string;
  gas: number;
  difference: string;
}

export interface CaseResult {
  kind: string;
  /** How ours ended (the same as the reference's unless `divergence` says otherwise). */
  status: string;
  divergence?: Divergence;
}

/**
 * One case from its seed: a structured program (60%), random instructions (20%), random bytes
 * (10%) or a mutated real contract with calldata for one of its functions (10%).
 */
function generate(r: Rng, seeds: Seed[], fork: Fork) {
  const mode = r.int(10);
  if (mode < 6) {
    const p = program(r, fork);
    return { kind: "program", program: p, code: assemble(p), calldata: r.bytes(r.int(100)), gas: 30_000 + r.int(970_000) };
  }
  if (mode < 8) return { kind: "soup", code: soup(r, fork), calldata: r.bytes(r.int(100)), gas: 10_000 + r.int(190_000) };
  if (mode < 9 || seeds.length === 0) return { kind: "random bytes", code: r.bytes(1 + r.int(200)), calldata: r.bytes(r.int(100)), gas: 10_000 + r.int(190_000) };
  const s = r.pick(seeds);
  return { kind: `mutation of ${s.name}`, code: mutate(r, s.code), calldata: s.calldata(r), gas: 30_000 + r.int(970_000) };
}

export async function runCase(seed: number, seeds: Seed[], fork: Fork): Promise<CaseResult> {
  const c = generate(new Rng(seed), seeds, fork);
  const check: Check = async (code, calldata) => (await compare(code, calldata, c.gas, fork)).diff;
  const { diff, status } = await compare(c.code, c.calldata, c.gas, fork);
  if (diff === undefined) return { kind: c.kind, status };
  const smaller = c.program === undefined ? c.code : assemble(await shrinkProgram(c.program, c.calldata, check));
  const small = await shrinkCase(smaller, c.calldata, check);
  const divergence = { seed, kind: c.kind, code: bytesToHex(small.code), calldata: bytesToHex(small.calldata), gas: c.gas, difference: (await check(small.code, small.calldata)) ?? diff };
  return { kind: c.kind, status, divergence };
}

export async function compare(code: Uint8Array, calldata: Uint8Array, gas: number, fork: Fork): Promise<{ diff?: string; status: string }> {
  let ours;
  try {
    ours = runOurs(code, calldata, gas, fork);
  } catch (e) {
    return { diff: `ours threw: ${(e as Error).message}`, status: "threw" };
  }
  return { diff: difference(ours, await runEjs(code, calldata, gas, fork)), status: ours.status };
}
