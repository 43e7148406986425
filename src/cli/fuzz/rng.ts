/** mulberry32: small, fast, seeded, so every case is reproducible from its seed. */
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
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(256));
  }
}

/** Values where arithmetic and memory rules change: 0, 1, word and sign boundaries. */
const WORDS = [0n, 1n, 2n, 31n, 32n, 255n, 256n, (1n << 255n) - 1n, 1n << 255n, (1n << 256n) - 1n, (1n << 256n) - 2n, 1n << 128n, 0xffffffffn, 1n << 64n];

/** A stack value biased towards boundaries and small numbers. */
export function word(r: Rng): bigint {
  if (r.chance(0.5)) return r.pick(WORDS);
  if (r.chance(0.5)) return BigInt(r.int(1 << 16));
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 64n) | BigInt(r.int(2 ** 32)) * BigInt(r.int(2 ** 32));
  return v & ((1n << 256n) - 1n);
}

export const small = (r: Rng, n: number) => BigInt(r.int(n));
/** A memory offset: mostly small, sometimes at a word/page boundary or absurdly large. */
export const offset = (r: Rng) => (r.chance(0.9) ? small(r, 256) : r.pick([31n, 32n, 1024n, 1n << 16n, 1n << 32n, (1n << 256n) - 1n]));
export const length = (r: Rng) => (r.chance(0.9) ? small(r, 96) : r.pick([0n, 1n, 33n, 1024n, 1n << 20n]));

/** The smallest PUSH of `v` (PUSH0 for zero). */
export function push(v: bigint): number[] {
  if (v === 0n) return [0x5f];
  const bytes: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) bytes.unshift(Number(x & 0xffn));
  return [0x5f + bytes.length, ...bytes];
}
