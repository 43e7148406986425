import { DEFAULT_FORK } from "../../evm/fork.ts";
import { getPrecompile } from "../../evm/precompiles/index.ts";
import { bigIntToAddress } from "../../primitives/hex.ts";
import { BLS_G1, BLS_G2, BN_G1, BN_G2, blake2fInput, hexBytes, modexpInput } from "./worst-inputs.ts";

/** One precompile input of a sweep, timed by calling the precompile directly. */
export interface SweepRow {
  precompile: string;
  input: string;
  gas: number;
  usPerCall: number;
  msPerMgas: number;
}

interface Candidate {
  precompile: string;
  address: number;
  input: string;
  hex: string;
}

/** Modexp shapes that stress the pricing rules of EIP-7883 and the 1,024-byte limit of EIP-7823. */
function modexpCandidates(): Candidate[] {
  const out: Candidate[] = [];
  for (const size of [1, 8, 16, 32, 33, 64, 128, 256, 512, 1024]) {
    for (const e of [1, 2, 8, 32, 33, 64, 256, 1024]) {
      for (const [expName, exp] of [["ones", "ff".repeat(e)], ["top bit", "80" + "00".repeat(e - 1)]] as const) {
        for (const even of [false, true]) {
          const mod = "f7".repeat(size - 1) + (even ? "fe" : "ff");
          out.push({ precompile: "modexp", address: 5, input: `base/mod ${size} B, exp ${e} B (${expName}), ${even ? "even" : "odd"} modulus`, hex: modexpInput("e3".repeat(size), exp, mod) });
        }
      }
    }
  }
  return out;
}

function candidates(): Candidate[] {
  const out = modexpCandidates();
  for (const k of [1, 2, 4, 8, 16, 32]) out.push({ precompile: "bn254 pairing", address: 8, input: `${k} pairs`, hex: (BN_G1 + BN_G2).repeat(k) });
  for (const k of [1, 2, 4, 8, 16, 32, 64, 128]) {
    out.push({ precompile: "BLS12-381 G1 MSM", address: 0x0c, input: `${k} points`, hex: (BLS_G1 + "ff".repeat(32)).repeat(k) });
    out.push({ precompile: "BLS12-381 G2 MSM", address: 0x0e, input: `${k} points`, hex: (BLS_G2 + "ff".repeat(32)).repeat(k) });
  }
  for (const k of [1, 2, 4, 8, 16]) out.push({ precompile: "BLS12-381 pairing", address: 0x0f, input: `${k} pairs`, hex: (BLS_G1 + BLS_G2).repeat(k) });
  for (const rounds of [1, 12, 1_000, 100_000]) out.push({ precompile: "blake2f", address: 9, input: `${rounds} rounds`, hex: blake2fInput(rounds) });
  return out;
}

/** Microseconds per call and ms per million gas of each candidate: at least 3 calls and 150 ms. */
export function sweep(): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const c of candidates()) {
    const run = getPrecompile(bigIntToAddress(BigInt(c.address)), DEFAULT_FORK)!;
    const input = hexBytes(c.hex);
    const first = run(input, 1 << 30, DEFAULT_FORK);
    if (first === null) throw new Error(`${c.precompile} ${c.input}: refused`);
    let calls = 0;
    const t0 = performance.now();
    while (calls < 3 || performance.now() - t0 < 150) {
      run(input, 1 << 30, DEFAULT_FORK);
      calls++;
    }
    const us = ((performance.now() - t0) * 1000) / calls;
    rows.push({ precompile: c.precompile, input: c.input, gas: first.gasUsed, usPerCall: us, msPerMgas: us / first.gasUsed * 1000 });
  }
  return rows.sort((a, b) => b.msPerMgas - a.msPerMgas);
}

/** The slowest `n` inputs per gas of each precompile. */
export function printSweep(rows: SweepRow[], n = 3): void {
  console.log(`${"precompile".padEnd(20)}${"input".padEnd(50)}${"gas".padStart(10)}${"µs/call".padStart(11)}${"ms/Mgas".padStart(10)}`);
  for (const name of [...new Set(rows.map((r) => r.precompile))]) {
    for (const r of rows.filter((r) => r.precompile === name).slice(0, n)) {
      console.log(`${r.precompile.padEnd(20)}${r.input.padEnd(50)}${String(r.gas).padStart(10)}${r.usPerCall.toFixed(1).padStart(11)}${r.msPerMgas.toFixed(1).padStart(10)}`);
    }
  }
}
