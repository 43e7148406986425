/**
 * Random EVM programs for differential fuzzing: mostly-valid programs made of small segments
 * (each pushes what its instruction needs), plain random bytes, and mutations of real code. A
 * seeded generator makes every case reproducible from its seed.
 */

/** mulberry32: small, fast, seeded. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The second contract of every case: writes slot 1, logs, returns 32 bytes of its input. */
export const OTHER_CODE = Uint8Array.from([0x60, 0x2a, 0x60, 0x01, 0x55, 0x60, 0x20, 0x5f, 0xa0, 0x5f, 0x35, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]);
export const OTHER = "0x4000000000000000000000000000000000000004";
export const TARGET = "0xbe7c43a580000000000000000000000000000001";

const WORDS = [0n, 1n, 2n, 31n, 32n, 255n, 256n, (1n << 255n) - 1n, 1n << 255n, (1n << 256n) - 1n, (1n << 256n) - 2n, 1n << 128n, 0xffffffffn, 1n << 64n];

function word(r: Rng): bigint {
  if (r.chance(0.5)) return r.pick(WORDS);
  if (r.chance(0.5)) return BigInt(r.int(1 << 16));
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 64n) | BigInt(r.int(2 ** 32)) * BigInt(r.int(2 ** 32));
  return v & ((1n << 256n) - 1n);
}

function push(v: bigint): number[] {
  if (v === 0n) return [0x5f];
  const bytes: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) bytes.unshift(Number(x & 0xffn));
  return [0x5f + bytes.length, ...bytes];
}

const small = (r: Rng, n: number) => BigInt(r.int(n));
const offset = (r: Rng) => (r.chance(0.9) ? small(r, 256) : r.pick([1024n, 1n << 16n, 1n << 32n, (1n << 256n) - 1n]));
const length = (r: Rng) => (r.chance(0.9) ? small(r, 96) : r.pick([0n, 1024n, 1n << 20n]));

const PRECOMPILES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11];
const BINARY = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d];
const TERNARY = [0x08, 0x09];
const UNARY = [0x15, 0x19];
const NULLARY = [0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x3d, 0x47, 0x58, 0x59, 0x5a, 0x46];

/** One segment: leaves the stack as it found it. */
function segment(r: Rng): number[] {
  switch (r.int(12)) {
    case 0:
      return [...push(word(r)), ...push(word(r)), r.pick(BINARY), ...store(r)];
    case 1:
      return [...push(word(r)), ...push(word(r)), ...push(word(r)), r.pick(TERNARY), ...store(r)];
    case 2:
      return [...push(word(r)), r.pick(UNARY), ...store(r)];
    case 3:
      return [r.pick(NULLARY), ...store(r)];
    case 4: // memory
      return r.chance(0.5) ? [...push(word(r)), ...push(offset(r)), r.pick([0x52, 0x53])] : [...push(offset(r)), 0x51, 0x50];
    case 5: // copies
      return [...push(length(r)), ...push(offset(r)), ...push(offset(r)), r.pick([0x37, 0x39, 0x5e, 0x3e])];
    case 6: // storage and transient storage
      return r.chance(0.5) ? [...push(word(r)), ...push(small(r, 8)), r.pick([0x55, 0x5d])] : [...push(small(r, 8)), r.pick([0x54, 0x5c]), 0x50];
    case 7: { // logs
      const n = r.int(5);
      const topics = Array.from({ length: n }, () => push(word(r))).flat();
      return [...topics, ...push(length(r)), ...push(offset(r)), 0xa0 + n];
    }
    case 8: { // calls to the other contract, to itself or to a precompile
      // Every precompile but point evaluation (0x0a): @ethereumjs/evm has no KZG backend set up here.
      const to = r.chance(0.4) ? BigInt(OTHER) : r.chance(0.2) ? BigInt(TARGET) : BigInt(r.pick(PRECOMPILES));
      const kind = r.pick([0xf1, 0xfa, 0xf4, 0xf2]);
      const value = kind === 0xf1 || kind === 0xf2 ? [...push(r.chance(0.7) ? 0n : small(r, 3))] : [];
      return [...push(small(r, 64)), ...push(offset(r)), ...push(length(r)), ...push(small(r, 128)), ...value, ...push(to), ...push(r.chance(0.5) ? 0xffffffn : small(r, 50_000)), kind, 0x50];
    }
    case 9: { // creations of a tiny contract
      const init = [0x60, 0x2a, 0x5f, 0x53, 0x60, 0x01, 0x5f, 0xf3]; // returns the code 0x2a
      const mstore = [...push(BigInt("0x" + init.map((b) => b.toString(16).padStart(2, "0")).join("")) << BigInt(256 - 8 * init.length)), 0x5f, 0x52];
      return r.chance(0.5) ? [...mstore, ...push(BigInt(init.length)), 0x5f, ...push(small(r, 2)), 0xf0, 0x50] : [...mstore, ...push(small(r, 4)), ...push(BigInt(init.length)), 0x5f, 0x5f, 0xf5, 0x50];
    }
    case 10: // account queries
      return [...push(r.chance(0.5) ? BigInt(OTHER) : small(r, 20)), r.pick([0x31, 0x3b, 0x3f]), 0x50];
    default: // hashing
      return [...push(length(r)), ...push(offset(r)), 0x20, ...store(r)];
  }
}

/** What to do with a value left on the stack. */
function store(r: Rng): number[] {
  const k = r.int(3);
  return k === 0 ? [0x50] : k === 1 ? [...push(small(r, 8) * 32n), 0x52] : [...push(small(r, 8)), 0x55];
}

function ending(r: Rng): number[] {
  const k = r.int(4);
  if (k === 0) return [0x00];
  return [...push(small(r, 96)), ...push(small(r, 64)), k === 3 ? 0xfd : 0xf3];
}

export interface Program {
  segments: number[][];
  ending: number[];
}

export function program(r: Rng): Program {
  return { segments: Array.from({ length: 1 + r.int(24) }, () => segment(r)), ending: ending(r) };
}

export function assemble(p: Program): Uint8Array {
  return Uint8Array.from([...p.segments.flat(), ...p.ending]);
}

export function randomBytes(r: Rng, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => r.int(256));
}

/** Real code with a few bytes changed. */
export function mutate(r: Rng, code: Uint8Array): Uint8Array {
  const out = Uint8Array.from(code);
  for (let i = 1 + r.int(4); i > 0; i--) out[r.int(out.length)] = r.int(256);
  return out;
}
