/** Big-endian bytes to an unsigned bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = "";
  for (let i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return hex === "" ? 0n : BigInt("0x" + hex);
}

/** An unsigned bigint to exactly `length` big-endian bytes (truncating high bytes). */
export function bigIntToBytes(value: bigint, length = 32): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Minimal big-endian bytes (no leading zeros; 0 → empty), as RLP wants integers. */
export function bigIntToMinimalBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  let hex = value.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `data[offset, offset+length)`, zero-padded where it runs past the end (CALLDATACOPY semantics). */
export function sliceZeroPadded(data: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (offset < data.length) out.set(data.subarray(offset, Math.min(data.length, offset + length)));
  return out;
}
