import type { Address, Hex } from "../../primitives/hex.ts";

const INTEGER = new Intl.NumberFormat("en-US");

export function integer(n: number | bigint): string {
  return INTEGER.format(n);
}

/** `0x1234…abcd`: enough of an address or hash to tell them apart, with the whole in a title. */
export function short(value: Address | Hex | string): string {
  return value.length > 14 ? `${value.slice(0, 6)}…${value.slice(-4)}` : value;
}

/** A decimal of `units` whole units: `fixed(1234567n, 6)` is `1.234567`, trailing zeros dropped. */
export function fixed(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = INTEGER.format(abs / scale);
  const fraction = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/** Credit and charges are integer micro-units of the billing currency. */
export function credit(micro: number | bigint): string {
  return fixed(BigInt(micro), 6);
}

const GWEI = 10n ** 9n;

/** Wei as ether, exactly; amounts under a gwei in wei, where ether would be a string of zeros. */
export function ether(wei: bigint | string): string {
  const v = BigInt(wei);
  if (v !== 0n && (v < 0n ? -v : v) < GWEI) return `${integer(v)} wei`;
  return `${fixed(v, 18)} ETH`;
}

/** A 32-byte word without its leading zeros (`0x0`, `0x2a`); the whole word goes in a title. */
export function word(w: string): string {
  return `0x${w.slice(2).replace(/^0+/, "") || "0"}`;
}

export function hexNumber(hex: Hex | undefined): bigint {
  return hex === undefined || hex === "0x" ? 0n : BigInt(hex);
}

export function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `2026-11-29 21:15:42` in the viewer's time zone. */
export function time(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
