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
let kernel: () => void = () => {};
let installed = false;
// Offsets (in digits) of a, b, n, mu and the result within `digits` (build-wasm.ts, MULMOD_AT).
const A = 0, B = 8, N = 16, MU = 24, R = 40;
let hasModulus = false;

/** `mulmod` reads a, b, n and mu from `offset` of `memory` and writes the result there. */
export function installMulmodWasm(memory: WebAssembly.Memory, offset: number, mulmod: () => void): void {
  digits = new Int32Array(memory.buffer, offset, 48);
  kernel = mulmod;
  installed = true;
  hasModulus = false;
}

/** Whether the kernel is installed (tests check the fast form is the one used). */
export function mulmodOnWasm(): boolean {
  return installed;
}

/**
 * (a * b) mod n into slot `n` (which the result replaces), for slot `n` with limbs; false, changing
 * nothing, when n is not above 2^224 or the kernel is not installed.
 */
export function mulmodLimbs(f: Frame, a: number, b: number, n: number): boolean {
  if (!modulusAt(f, n)) return false;
  limbsOf(f, a);
  limbsOf(f, b);
  const l = f.limbs, x = 8 * a, y = 8 * b, d = digits;
  d[A] = l[x]; d[A + 1] = l[x + 1]; d[A + 2] = l[x + 2]; d[A + 3] = l[x + 3];
  d[A + 4] = l[x + 4]; d[A + 5] = l[x + 5]; d[A + 6] = l[x + 6]; d[A + 7] = l[x + 7];
  d[B] = l[y]; d[B + 1] = l[y + 1]; d[B + 2] = l[y + 2]; d[B + 3] = l[y + 3];
  d[B + 4] = l[y + 4]; d[B + 5] = l[y + 5]; d[B + 6] = l[y + 6]; d[B + 7] = l[y + 7];
  kernel();
  resultTo(l, 8 * n);
  settle(f, n);
  return true;
}

/**
 * Reduces the limbs of slots `a` and `b` modulo slot `n`'s (all three with limbs), as the product
 * by one: ADDMOD of terms that are not reduced. False, changing nothing, where mulmodLimbs is.
 */
export function reduceLimbs(f: Frame, a: number, b: number, n: number): boolean {
  if (!modulusAt(f, n)) return false;
  const l = f.limbs, d = digits;
  d[B] = 1;
  d[B + 1] = d[B + 2] = d[B + 3] = d[B + 4] = d[B + 5] = d[B + 6] = d[B + 7] = 0;
  for (let x = 8 * a, k = 0; k < 2; x = 8 * b, k++) {
    d[A] = l[x]; d[A + 1] = l[x + 1]; d[A + 2] = l[x + 2]; d[A + 3] = l[x + 3];
    d[A + 4] = l[x + 4]; d[A + 5] = l[x + 5]; d[A + 6] = l[x + 6]; d[A + 7] = l[x + 7];
    kernel();
    resultTo(l, x);
  }
  return true;
}

function resultTo(l: Int32Array, o: number): void {
  const d = digits;
  l[o] = d[R]; l[o + 1] = d[R + 1]; l[o + 2] = d[R + 2]; l[o + 3] = d[R + 3];
  l[o + 4] = d[R + 4]; l[o + 5] = d[R + 5]; l[o + 6] = d[R + 6]; l[o + 7] = d[R + 7];
}

/** Whether the kernel takes slot `n`'s limbs as its modulus (above 2^224), made its modulus if so. */
function modulusAt(f: Frame, n: number): boolean {
  const l = f.limbs, o = 8 * n, d = digits;
  // Barrett's mu = 2^512 / n fits nine digits when n > 2^224.
  const top = l[o + 7];
  if (!installed || top === 0 || (top === 1 && (l[o] | l[o + 1] | l[o + 2] | l[o + 3] | l[o + 4] | l[o + 5] | l[o + 6]) === 0)) return false;
  if (!hasModulus || d[N] !== l[o] || d[N + 1] !== l[o + 1] || d[N + 2] !== l[o + 2] || d[N + 3] !== l[o + 3] ||
      d[N + 4] !== l[o + 4] || d[N + 5] !== l[o + 5] || d[N + 6] !== l[o + 6] || d[N + 7] !== top) setModulus(f, n);
  return true;
}

const TWO_512 = 1n << 512n;

function setModulus(f: Frame, n: number): void {
  const l = f.limbs, o = 8 * n, d = digits;
  for (let k = 0; k < 8; k++) d[N + k] = l[o + k];
  let mu = TWO_512 / wordAt(f, n);
  for (let k = 0; k < 9; k++) {
    d[MU + k] = Number(mu & 0xffffffffn) | 0;
    mu >>= 32n;
  }
  hasModulus = true;
}
