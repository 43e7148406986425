import type { Frame } from "./frame.ts";
import { limbsOf, settle } from "./limbs.ts";
import { wordAt } from "./stack.ts";

/**
 * MULMOD of words held as limbs by a modulus above 2^224, on evm.wasm's `mulmod` (Barrett's
 * reduction on 32-bit digits: scripts/build-wasm.ts): about a third of BigInt's product and
 * remainder (420-660 ns under load), and its result stays limbs, so the additions that follow
 * (weierstrudel's field arithmetic: sums reduced only by the next product) stay on limbs too.
 * Converting a bigint operand to limbs costs about what the kernel saves, so a product of two
 * words held only as bigints takes BigInt's path (arithmetic.ts). The modulus and mu = 2^512 / n stay in the module's
 * memory while the modulus does: mu is one BigInt division per new modulus.
 */
let digits = new Int32Array(0);
let kernel: (x: number, y: number, m: number, d: number) => number = () => 0;
let installed = false;
// Offsets (in digits) of the kept modulus and its mu within `digits`, and the byte offset of the
// digits of 1 in the module's memory (wasm/layout.ts, MULMOD_AT).
const N = 0, MU = 8;
let one = 0;

/**
 * `mulmod(x, y, m, d)` multiplies the digits at byte offsets x and y of `memory` modulo the kept
 * modulus (at `offset`, mu after it) and writes the result at d, or answers 0 when the digits at
 * m are not the kept modulus. Frames' limbs are regions of the same memory (pool.ts).
 */
export function installMulmodWasm(memory: WebAssembly.Memory, offset: number, mulmod: (x: number, y: number, m: number, d: number) => number): void {
  digits = new Int32Array(memory.buffer, offset, 24);
  one = offset + 96;
  for (let k = 0; k < 17; k++) digits[k] = 0;
  kernel = mulmod;
  installed = true;
}

/** Whether the kernel is installed (tests check the fast form is the one used). */
export function mulmodOnWasm(): boolean {
  return installed;
}

/**
 * (a * b) mod n into slot `n` (which the result replaces), for slot `n` with limbs; false, changing
 * nothing, when n is not above 2^224, the kernel is not installed or the frame's limbs are not in
 * its memory.
 */
export function mulmodLimbs(f: Frame, a: number, b: number, n: number): boolean {
  if (!eligible(f, n)) return false;
  limbsOf(f, a);
  limbsOf(f, b);
  const at = f.limbsAt;
  product(f, n, at + 32 * a, at + 32 * b, at + 32 * n);
  settle(f, n);
  return true;
}

/**
 * Reduces the limbs of slots `a` and `b` modulo slot `n`'s (all three with limbs), as the product
 * by one: ADDMOD of terms that are not reduced. False, changing nothing, where mulmodLimbs is.
 */
export function reduceLimbs(f: Frame, a: number, b: number, n: number): boolean {
  if (!eligible(f, n)) return false;
  const at = f.limbsAt;
  product(f, n, at + 32 * a, one, at + 32 * a);
  product(f, n, at + 32 * b, one, at + 32 * b);
  return true;
}

/** The digits at x times those at y, modulo slot `n`'s limbs, written at d (byte offsets): the modulus kept first when it is not. */
function product(f: Frame, n: number, x: number, y: number, d: number): void {
  const m = f.limbsAt + 32 * n;
  if (kernel(x, y, m, d) === 0) {
    keepModulus(f, n);
    kernel(x, y, m, d);
  }
}

/** Whether slot `n`'s limbs are a modulus for the kernel (above 2^224) where it can read them. */
function eligible(f: Frame, n: number): boolean {
  const l = f.limbs, o = 8 * n;
  // Barrett's mu = 2^512 / n fits nine digits when n > 2^224.
  const top = l[o + 7];
  if (!installed || top === 0 || (top === 1 && (l[o] | l[o + 1] | l[o + 2] | l[o + 3] | l[o + 4] | l[o + 5] | l[o + 6]) === 0)) return false;
  return f.limbsAt >= 0;
}

const TWO_512 = 1n << 512n;

/** Makes slot `n` the kept modulus, with its mu: one BigInt division per new modulus. */
function keepModulus(f: Frame, n: number): void {
  const l = f.limbs, o = 8 * n, d = digits;
  for (let k = 0; k < 8; k++) d[N + k] = l[o + k];
  let mu = TWO_512 / wordAt(f, n);
  for (let k = 0; k < 9; k++) {
    d[MU + k] = Number(mu & 0xffffffffn) | 0;
    mu >>= 32n;
  }
}
