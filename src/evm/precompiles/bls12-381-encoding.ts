import { bls12_381 } from "@noble/curves/bls12-381.js";
import { fromBytes, toBytes } from "./util.ts";

/**
 * EIP-2537 encodings: a field element is 64 bytes big-endian (so the top 16 bytes are zero for
 * any value below p); Fp2 is c0 then c1; the point at infinity is all zeros.
 */
const { Fp, Fp2 } = bls12_381.fields;
export const G1 = bls12_381.G1.Point;
export const G2 = bls12_381.G2.Point;
export type G1Point = InstanceType<typeof G1>;
export type G2Point = InstanceType<typeof G2>;
const B1 = 4n;
const B2 = Fp2.create({ c0: 4n, c1: 4n });

export function readFp(b: Uint8Array, o: number): bigint | undefined {
  const v = fromBytes(b.subarray(o, o + 64));
  return v < Fp.ORDER ? v : undefined;
}

/** A G1 point (128 bytes) on the curve; in the subgroup too when `subgroup` is set. */
export function readG1(b: Uint8Array, o: number, subgroup: boolean): G1Point | undefined {
  const x = readFp(b, o), y = readFp(b, o + 64);
  if (x === undefined || y === undefined) return undefined;
  if (x === 0n && y === 0n) return G1.ZERO;
  if (!Fp.eql(Fp.sqr(y), Fp.add(Fp.mul(Fp.sqr(x), x), B1))) return undefined;
  const p = G1.fromAffine({ x, y });
  return subgroup && !p.isTorsionFree() ? undefined : p;
}

export function readG2(b: Uint8Array, o: number, subgroup: boolean): G2Point | undefined {
  const x0 = readFp(b, o), x1 = readFp(b, o + 64), y0 = readFp(b, o + 128), y1 = readFp(b, o + 192);
  if (x0 === undefined || x1 === undefined || y0 === undefined || y1 === undefined) return undefined;
  if (x0 === 0n && x1 === 0n && y0 === 0n && y1 === 0n) return G2.ZERO;
  const x = Fp2.create({ c0: x0, c1: x1 }), y = Fp2.create({ c0: y0, c1: y1 });
  if (!Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), B2))) return undefined;
  const p = G2.fromAffine({ x, y });
  return subgroup && !p.isTorsionFree() ? undefined : p;
}

export function writeG1(p: G1Point): Uint8Array {
  const out = new Uint8Array(128);
  if (p.is0()) return out;
  const a = p.toAffine();
  out.set(toBytes(a.x, 64), 0);
  out.set(toBytes(a.y, 64), 64);
  return out;
}

export function writeG2(p: G2Point): Uint8Array {
  const out = new Uint8Array(256);
  if (p.is0()) return out;
  const a = p.toAffine();
  out.set(toBytes(a.x.c0, 64), 0);
  out.set(toBytes(a.x.c1, 64), 64);
  out.set(toBytes(a.y.c0, 64), 128);
  out.set(toBytes(a.y.c1, 64), 192);
  return out;
}

/** MSM price discounts per number of pairs (EIP-2537), in thousandths. */
export const G1_DISCOUNT = [1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665, 661, 658, 654, 651, 648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615, 613, 611, 609, 608, 606, 604, 603, 601, 599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585, 584, 582, 581, 580, 579, 577, 576, 575, 574, 573, 572, 570, 569, 568, 567, 566, 565, 564, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 551, 550, 549, 548, 547, 547, 546, 545, 544, 543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535, 534, 533, 532, 532, 531, 530, 529, 528, 528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520, 520, 519];
export const G2_DISCOUNT = [1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704, 699, 693, 688, 683, 679, 674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632, 629, 627, 624, 622, 620, 618, 615, 613, 611, 609, 607, 606, 604, 602, 600, 598, 597, 595, 593, 592, 590, 589, 587, 586, 584, 583, 582, 580, 579, 578, 576, 575, 574, 573, 571, 570, 569, 568, 567, 566, 565, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 552, 551, 550, 549, 548, 547, 546, 545, 545, 544, 543, 542, 541, 541, 540, 539, 538, 537, 537, 536, 535, 535, 534, 533, 532, 532, 531, 530, 530, 529, 528, 528, 527, 526, 526, 525, 524, 524];

export function msmGas(k: number, perPoint: number, table: number[]): number {
  const discount = k <= table.length ? table[k - 1] : table[table.length - 1];
  return Math.floor((k * perPoint * discount) / 1000);
}
