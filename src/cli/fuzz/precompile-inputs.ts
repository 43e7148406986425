import { BLS_FP, BLS_G1, BLS_G2, BN_G1, BN_G1_NEG, BN_G2, ECRECOVER_INPUT, P256_INPUT, POINT_EVALUATION_INPUT, POINT_EVALUATION_VALID, blake2fInput, hexBytes, modexpInput, word } from "../bench/worst-inputs.ts";
import type { Rng } from "./rng.ts";

/** A precompile call's target and input, mostly valid so that its success paths run too. */
export interface PrecompileInput {
  address: number;
  input: Uint8Array;
}

const times = (s: string, n: number) => s.repeat(n);
const randomHex = (r: Rng, n: number) => Array.from(r.bytes(n), (b) => b.toString(16).padStart(2, "0")).join("");

function modexp(r: Rng): string {
  // Lengths around the edges of the pricing rules (32 bytes, EIP-7823's 1,024-byte limit).
  const len = () => r.pick([0, 1, 2, 31, 32, 33, 64, r.int(100), r.int(100)]);
  const b = len(), e = len(), m = len();
  const exp = r.chance(0.3) ? "00".repeat(Math.max(0, e - 1)) + (e > 0 ? "03" : "") : randomHex(r, e);
  const input = modexpInput(randomHex(r, b), exp, randomHex(r, m));
  if (r.chance(0.05)) return word(r.pick([1025n, 1n << 32n, (1n << 256n) - 1n])) + input.slice(64);
  return input;
}

const BUILDERS: [number, (r: Rng) => string][] = [
  [0x01, () => ECRECOVER_INPUT],
  [0x05, modexp],
  [0x06, (r) => BN_G1 + r.pick([BN_G1, BN_G1_NEG, word(0) + word(0)])],
  [0x07, (r) => r.pick([BN_G1, BN_G1_NEG]) + randomHex(r, 32)],
  [0x08, (r) => r.pick(["", BN_G1 + BN_G2, BN_G1 + BN_G2 + BN_G1_NEG + BN_G2, word(0) + word(0) + BN_G2])],
  [0x09, (r) => blake2fInput(r.int(24), r.chance(0.95) ? r.int(2) : 2)],
  [0x0a, (r) => r.pick([POINT_EVALUATION_INPUT, POINT_EVALUATION_VALID])],
  [0x0b, () => BLS_G1 + BLS_G1],
  [0x0c, (r) => times(BLS_G1 + randomHex(r, 32), 1 + r.int(2))],
  [0x0d, () => BLS_G2 + BLS_G2],
  [0x0e, (r) => times(BLS_G2 + randomHex(r, 32), 1 + r.int(2))],
  [0x0f, (r) => times(BLS_G1 + BLS_G2, r.int(2))],
  [0x10, () => BLS_FP],
  [0x11, () => BLS_FP + BLS_FP],
  [0x100, () => P256_INPUT],
];

/** A valid input for a random precompile, then now and then a byte changed, cut short or extended. */
export function precompileInput(r: Rng): PrecompileInput {
  const [address, build] = r.pick(BUILDERS);
  let input = hexBytes(build(r));
  if (r.chance(0.3) && input.length > 0) input[r.int(input.length)] ^= 1 << r.int(8);
  if (r.chance(0.1)) input = input.slice(0, r.int(input.length + 1));
  if (r.chance(0.05)) input = Uint8Array.from([...input, ...r.bytes(1 + r.int(40))]);
  return { address, input };
}
