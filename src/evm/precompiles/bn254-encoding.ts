import { bn254 } from "@noble/curves/bn254.js";
import { fromBytes, readPadded, toBytes } from "./util.ts";

/** EIP-196/197 encodings: 32-byte big-endian coordinates; G2 puts the imaginary part first. */
const { Fp, Fp2 } = bn254.fields;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
export type G1Point = InstanceType<typeof G1>;
export type G2Point = InstanceType<typeof G2>;

/** A G1 point at `offset` (64 bytes, zero-padded input), or undefined when invalid. */
export function readG1(input: Uint8Array, offset: number): G1Point | undefined {
  const b = readPadded(input, offset, 64);
  const x = fromBytes(b.subarray(0, 32)), y = fromBytes(b.subarray(32, 64));
  if (x >= Fp.ORDER || y >= Fp.ORDER) return undefined;
  if (x === 0n && y === 0n) return G1.ZERO;
  try {
    const p = G1.fromAffine({ x, y });
    p.assertValidity();
    return p;
  } catch {
    return undefined;
  }
}

/** A G2 point at `offset` (128 bytes), on the curve and in the r-torsion subgroup, or undefined. */
export function readG2(input: Uint8Array, offset: number): G2Point | undefined {
  const b = readPadded(input, offset, 128);
  const xi = fromBytes(b.subarray(0, 32)), xr = fromBytes(b.subarray(32, 64));
  const yi = fromBytes(b.subarray(64, 96)), yr = fromBytes(b.subarray(96, 128));
  if (xi >= Fp.ORDER || xr >= Fp.ORDER || yi >= Fp.ORDER || yr >= Fp.ORDER) return undefined;
  if (xi === 0n && xr === 0n && yi === 0n && yr === 0n) return G2.ZERO;
  try {
    const p = G2.fromAffine({ x: Fp2.create({ c0: xr, c1: xi }), y: Fp2.create({ c0: yr, c1: yi }) });
    p.assertValidity();
    if (!p.isTorsionFree()) return undefined;
    return p;
  } catch {
    return undefined;
  }
}

export function writeG1(p: G1Point): Uint8Array {
  const out = new Uint8Array(64);
  if (p.is0()) return out;
  const a = p.toAffine();
  out.set(toBytes(a.x, 32), 0);
  out.set(toBytes(a.y, 32), 32);
  return out;
}
