import { bls12_381 } from "@noble/curves/bls12-381.js";
import type { Precompile } from "./types.ts";
import { msmGas } from "./bls12-381-encoding.ts";
import { fromBytes } from "./util.ts";

const ORDER = bls12_381.fields.Fr.ORDER;

/** What G1 and G2 differ in: encoding size, reader and writer, identity, prices. */
interface Group<P extends { add(o: P): P; multiplyUnsafe(k: bigint): P; is0(): boolean }> {
  pointSize: number;
  zero: P;
  read(b: Uint8Array, offset: number, subgroup: boolean): P | undefined;
  write(p: P): Uint8Array;
  addGas: number;
  mulGas: number;
  discounts: number[];
}

/** G1ADD / G2ADD: two points on the curve (no subgroup check, per EIP-2537). */
export function makeAdd<P extends { add(o: P): P; multiplyUnsafe(k: bigint): P; is0(): boolean }>(g: Group<P>): Precompile {
  return (input, gasLimit) => {
    if (input.length !== 2 * g.pointSize || gasLimit < g.addGas) return null;
    const a = g.read(input, 0, false), b = g.read(input, g.pointSize, false);
    if (a === undefined || b === undefined) return null;
    return { gasUsed: g.addGas, output: g.write(a.add(b)) };
  };
}

/** G1MSM / G2MSM: points in the subgroup, 32-byte scalars, discounted per number of pairs. */
export function makeMsm<P extends { add(o: P): P; multiplyUnsafe(k: bigint): P; is0(): boolean }>(g: Group<P>): Precompile {
  const pair = g.pointSize + 32;
  return (input, gasLimit) => {
    if (input.length === 0 || input.length % pair !== 0) return null;
    const k = input.length / pair;
    const gas = msmGas(k, g.mulGas, g.discounts);
    if (gas > gasLimit) return null;
    let acc = g.zero;
    for (let i = 0; i < k; i++) {
      const p = g.read(input, i * pair, true);
      if (p === undefined) return null;
      // Subgroup points have order r, so the scalar reduces mod r.
      const s = fromBytes(input.subarray(i * pair + g.pointSize, (i + 1) * pair)) % ORDER;
      if (s !== 0n && !p.is0()) acc = acc.add(p.multiplyUnsafe(s));
    }
    return { gasUsed: gas, output: g.write(acc) };
  };
}
