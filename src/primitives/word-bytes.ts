/**
 * 256-bit words between BigInt and big-endian bytes (EVM memory, a hash's digest), by 64-bit
 * pieces.
 */

// 64-bit pieces go between BigInt and memory through one BigUint64Array element, written or read
// as two 32-bit halves: V8 compiles a typed array's element access inline, where DataView's
// getBigUint64 and setBigUint64 cost a call each (about 3x as long). The halves' order is the
// platform's.
const piece = new BigUint64Array(1);
const halves = new Uint32Array(piece.buffer);
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

/** The big-endian 64-bit piece at `o` of a view. */
function pieceAt(v: DataView, o: number): bigint {
  halves[HI] = v.getUint32(o);
  halves[LO] = v.getUint32(o + 4);
  return piece[0];
}

/** Writes the low 64 bits of `x` big-endian at `o` of a view. */
export function setPiece(v: DataView, o: number, x: bigint): void {
  piece[0] = x;
  v.setUint32(o, halves[HI]);
  v.setUint32(o + 4, halves[LO]);
}

/**
 * The 32-byte big-endian word at `o` of a view. Below 2^192, it is built from only its non-zero
 * 64-bit pieces above the lowest: 64-bit words (blake2b, masks) take one BigInt instead of ten, and
 * blake2b_huff's pairs of 64-bit lanes 128 bits apart (pieces 0x0x) four instead of seven.
 */
export function wordFromView(v: DataView, o: number): bigint {
  if ((v.getUint32(o) | v.getUint32(o + 4)) !== 0) {
    return (pieceAt(v, o) << 192n) | (pieceAt(v, o + 8) << 128n) | (pieceAt(v, o + 16) << 64n) | pieceAt(v, o + 24);
  }
  let w = pieceAt(v, o + 24);
  if ((v.getUint32(o + 16) | v.getUint32(o + 20)) !== 0) w |= pieceAt(v, o + 16) << 64n;
  if ((v.getUint32(o + 8) | v.getUint32(o + 12)) !== 0) w |= pieceAt(v, o + 8) << 128n;
  return w;
}

const TWO_32 = 4294967296;

/**
 * `x & n` for `0 <= n < 2^53`, as a number, without a BigInt operation: the element store keeps
 * x's low 64 bits, which are all the AND can leave.
 */
export function andLow(x: bigint, n: number): number {
  piece[0] = x;
  return (halves[HI] & Math.floor(n / TWO_32)) * TWO_32 + ((halves[LO] & n) >>> 0);
}
