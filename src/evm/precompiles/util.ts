/** Input bytes `[offset, offset+length)` with zeros past the end, as precompiles read calldata. */
export function readPadded(input: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (offset < input.length) out.set(input.subarray(offset, Math.min(input.length, offset + length)));
  return out;
}

export function wordAt(input: Uint8Array, offset: number): bigint {
  let hex = "0x";
  for (let i = 0; i < 32; i++) {
    const b = offset + i < input.length ? input[offset + i] : 0;
    hex += (b < 16 ? "0" : "") + b.toString(16);
  }
  return BigInt(hex);
}

export function words(length: number): number {
  return Math.ceil(length / 32);
}

/** `value` as `length` big-endian bytes. */
export function toBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0 && value > 0n; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

export function fromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let hex = "0x";
  for (let i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return BigInt(hex);
}
