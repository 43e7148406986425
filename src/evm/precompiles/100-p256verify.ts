import { p256 } from "@noble/curves/nist.js";
import type { Precompile } from "./types.ts";
import { fromBytes } from "./util.ts";

const GAS = 6900;
const EMPTY = new Uint8Array(0);
const Point = p256.Point;
const { Fp, Fn } = Point;
const N = Fn.ORDER;
const P = Fp.ORDER;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

/**
 * P256VERIFY (EIP-7951, Osaka): ECDSA over secp256r1 on a prehashed message. Any invalid input
 * returns empty output with the gas charged; high s values are accepted.
 */
export const p256verify: Precompile = (input, gasLimit) => {
  if (gasLimit < GAS) return null;
  const fail = { gasUsed: GAS, output: EMPTY };
  if (input.length !== 160) return fail;
  const e = fromBytes(input.subarray(0, 32));
  const r = fromBytes(input.subarray(32, 64)), s = fromBytes(input.subarray(64, 96));
  const qx = fromBytes(input.subarray(96, 128)), qy = fromBytes(input.subarray(128, 160));
  if (r === 0n || r >= N || s === 0n || s >= N || qx >= P || qy >= P) return fail;
  if ((qx === 0n && qy === 0n) || (qy * qy - (qx * qx * qx - 3n * qx + B)) % P !== 0n) return fail;
  const w = Fn.inv(s);
  const u1 = Fn.mul(e % N, w), u2 = Fn.mul(r, w);
  const q = Point.fromAffine({ x: qx, y: qy });
  const R = Point.BASE.multiplyUnsafe(u1).add(q.multiplyUnsafe(u2));
  if (R.is0() || R.toAffine().x % N !== r) return fail;
  const output = new Uint8Array(32);
  output[31] = 1;
  return { gasUsed: GAS, output };
};
