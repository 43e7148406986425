import { bigIntToMinimalBytes, concatBytes } from "./bytes.ts";

/** An RLP item: a byte string or a list of items. */
export type RlpItem = Uint8Array | RlpItem[];

function encodeLength(length: number, offset: number): Uint8Array {
  if (length < 56) return Uint8Array.of(offset + length);
  const lenBytes = bigIntToMinimalBytes(BigInt(length));
  return concatBytes(Uint8Array.of(offset + 55 + lenBytes.length), lenBytes);
}

export function rlpEncode(item: RlpItem): Uint8Array {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0] < 0x80) return item;
    return concatBytes(encodeLength(item.length, 0x80), item);
  }
  const body = concatBytes(...item.map(rlpEncode));
  return concatBytes(encodeLength(body.length, 0xc0), body);
}

/** RLP of an unsigned integer (minimal big-endian; zero is the empty string). */
export function rlpUint(value: bigint | number): Uint8Array {
  return bigIntToMinimalBytes(BigInt(value));
}

export class RlpError extends Error {
  override name = "Rlp.DecodeError";
}

/** Decodes exactly one item spanning all of `data`; rejects non-canonical encodings. */
export function rlpDecode(data: Uint8Array): RlpItem {
  const [item, end] = decodeAt(data, 0);
  if (end !== data.length) throw new RlpError("trailing bytes after RLP item");
  return item;
}

function readLength(data: Uint8Array, pos: number, n: number): number {
  if (pos + n > data.length) throw new RlpError("RLP length runs past the end");
  if (data[pos] === 0) throw new RlpError("RLP length has a leading zero");
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + data[pos + i];
  if (len < 56) throw new RlpError("RLP long form used for a short length");
  return len;
}

function decodeAt(data: Uint8Array, pos: number): [RlpItem, number] {
  if (pos >= data.length) throw new RlpError("RLP input ends early");
  const b = data[pos];
  if (b < 0x80) return [data.subarray(pos, pos + 1), pos + 1];
  if (b < 0xb8) {
    const len = b - 0x80;
    const end = pos + 1 + len;
    if (end > data.length) throw new RlpError("RLP string runs past the end");
    if (len === 1 && data[pos + 1] < 0x80) throw new RlpError("RLP single byte not encoded as itself");
    return [data.subarray(pos + 1, end), end];
  }
  if (b < 0xc0) {
    const n = b - 0xb7;
    const len = readLength(data, pos + 1, n);
    const start = pos + 1 + n;
    if (start + len > data.length) throw new RlpError("RLP string runs past the end");
    return [data.subarray(start, start + len), start + len];
  }
  let start: number;
  let len: number;
  if (b < 0xf8) {
    len = b - 0xc0;
    start = pos + 1;
  } else {
    const n = b - 0xf7;
    len = readLength(data, pos + 1, n);
    start = pos + 1 + n;
  }
  const end = start + len;
  if (end > data.length) throw new RlpError("RLP list runs past the end");
  const items: RlpItem[] = [];
  let p = start;
  while (p < end) {
    const [item, next] = decodeAt(data, p);
    items.push(item);
    p = next;
  }
  if (p !== end) throw new RlpError("RLP list length mismatch");
  return [items, end];
}
