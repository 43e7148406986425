import type { Precompile } from "./types.ts";

/** BLAKE2b initialisation vector, as [low, high] 32-bit halves. */
const IV = Uint32Array.from([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);
/** BLAKE2b's message schedule (scripts/build-wasm.ts unrolls it into the WebAssembly rounds). */
export const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

// Working vector v[0..15] and message m[0..15] as 32-bit halves: word i is (2i = low, 2i+1 = high).
const v = new Uint32Array(32);
const m = new Uint32Array(32);

/** v[a] += v[b] + m[x] (mod 2^64). */
function add3(a: number, b: number, x: number): void {
  const lo = v[2 * a] + v[2 * b] + m[2 * x];
  const hi = v[2 * a + 1] + v[2 * b + 1] + m[2 * x + 1] + Math.floor(lo / 0x100000000);
  v[2 * a] = lo;
  v[2 * a + 1] = hi;
}

function add2(a: number, b: number): void {
  const lo = v[2 * a] + v[2 * b];
  const hi = v[2 * a + 1] + v[2 * b + 1] + (lo > 0xffffffff ? 1 : 0);
  v[2 * a] = lo;
  v[2 * a + 1] = hi;
}

/** v[a] = rotr64(v[a] ^ v[b], n). */
function xorRotr(a: number, b: number, n: number): void {
  const lo = v[2 * a] ^ v[2 * b], hi = v[2 * a + 1] ^ v[2 * b + 1];
  if (n === 32) {
    v[2 * a] = hi;
    v[2 * a + 1] = lo;
  } else if (n < 32) {
    v[2 * a] = (lo >>> n) | (hi << (32 - n));
    v[2 * a + 1] = (hi >>> n) | (lo << (32 - n));
  } else {
    const k = n - 32;
    v[2 * a] = (hi >>> k) | (lo << (32 - k));
    v[2 * a + 1] = (lo >>> k) | (hi << (32 - k));
  }
}

function mix(a: number, b: number, c: number, d: number, x: number, y: number): void {
  add3(a, b, x); xorRotr(d, a, 32);
  add2(c, d); xorRotr(b, c, 24);
  add3(a, b, y); xorRotr(d, a, 16);
  add2(c, d); xorRotr(b, c, 63);
}

function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/**
 * The rounds on WebAssembly's 64-bit words (src/evm/wasm), about 10x faster than the 32-bit
 * halves below, once the host installed the module (see src/evm/wasm/install.ts).
 */
let wasm: { memory: Uint8Array; compress: (rounds: number, final: number) => void } | undefined;

/** `compress` reads h, m and t at 0 of `memory` and writes the new h there. */
export function installBlake2fWasm(memory: WebAssembly.Memory, compress: (rounds: number, final: number) => void): void {
  wasm = { memory: new Uint8Array(memory.buffer, 0, 208), compress };
}

/** Whether the WebAssembly rounds are installed (tests compare both forms). */
export function blake2fWasmInstalled(): boolean {
  return wasm !== undefined;
}

/** BLAKE2 F compression (EIP-152): exactly 213 bytes in; 1 gas per round. */
export const blake2f: Precompile = (input, gasLimit) => {
  if (input.length !== 213) return null;
  const rounds = ((input[0] << 24) | (input[1] << 16) | (input[2] << 8) | input[3]) >>> 0;
  if (rounds > gasLimit) return null;
  const f = input[212];
  if (f !== 0 && f !== 1) return null;
  if (wasm !== undefined) {
    // h, m and t, little-endian words as the input holds them, where the module reads them.
    wasm.memory.set(input.subarray(4, 212));
    wasm.compress(rounds, f);
    return { gasUsed: rounds, output: wasm.memory.slice(0, 64) };
  }
  return { gasUsed: rounds, output: compressJs(input, rounds, f) };
};

/** The same compression in JavaScript, on 32-bit halves. */
export function compressJs(input: Uint8Array, rounds: number, f: number): Uint8Array {
  for (let i = 0; i < 16; i++) v[i] = u32le(input, 4 + 4 * i); // h as 16 halves
  const h = v.slice(0, 16);
  v.set(IV, 16);
  for (let i = 0; i < 32; i++) m[i] = u32le(input, 68 + 4 * i);
  v[24] ^= u32le(input, 196); v[25] ^= u32le(input, 200); // t0
  v[26] ^= u32le(input, 204); v[27] ^= u32le(input, 208); // t1
  if (f === 1) { v[28] = ~v[28]; v[29] = ~v[29]; }
  for (let r = 0; r < rounds; r++) {
    const s = SIGMA[r % 10];
    mix(0, 4, 8, 12, s[0], s[1]);
    mix(1, 5, 9, 13, s[2], s[3]);
    mix(2, 6, 10, 14, s[4], s[5]);
    mix(3, 7, 11, 15, s[6], s[7]);
    mix(0, 5, 10, 15, s[8], s[9]);
    mix(1, 6, 11, 12, s[10], s[11]);
    mix(2, 7, 8, 13, s[12], s[13]);
    mix(3, 4, 9, 14, s[14], s[15]);
  }
  const out = new Uint8Array(64);
  for (let i = 0; i < 16; i++) {
    const w = (h[i] ^ v[i] ^ v[i + 16]) >>> 0;
    out[4 * i] = w & 0xff; out[4 * i + 1] = (w >>> 8) & 0xff; out[4 * i + 2] = (w >>> 16) & 0xff; out[4 * i + 3] = w >>> 24;
  }
  return out;
}
