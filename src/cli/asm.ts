import { instructionTable } from "../evm/opcodes/table.ts";
import { Fork } from "../evm/fork.ts";

const table = instructionTable(Fork.Osaka);
const opcodes = new Map<string, number>();
table.names.forEach((name, code) => opcodes.set(name, code));

/**
 * A tiny assembler for tests: opcode names separated by spaces; a number after `PUSHn` is its
 * immediate; `PUSH x` picks the smallest push; `:name` marks a JUMPDEST and `@name` pushes its
 * offset (PUSH2). Example: `PUSH 1 PUSH 2 ADD PUSH 0 SSTORE STOP`.
 */
export function asm(src: string): Uint8Array {
  const tokens = src.trim().split(/\s+/);
  const out: number[] = [];
  const labels = new Map<string, number>();
  const fixups: [number, string][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.startsWith(":")) {
      labels.set(t.slice(1), out.length);
      out.push(0x5b);
      continue;
    }
    if (t.startsWith("@")) {
      out.push(0x61, 0, 0);
      fixups.push([out.length - 2, t.slice(1)]);
      continue;
    }
    const upper = t.toUpperCase();
    if (upper === "PUSH" || /^PUSH([1-9]|[12][0-9]|3[0-2])$/.test(upper)) {
      const value = BigInt(tokens[++i]);
      let hex = value.toString(16);
      if (hex.length % 2) hex = "0" + hex;
      const size = upper === "PUSH" ? Math.max(1, hex.length / 2) : Number(upper.slice(4));
      hex = hex.padStart(size * 2, "0");
      if (hex.length > size * 2) throw new Error(`immediate ${tokens[i]} does not fit ${upper}`);
      out.push(0x5f + size);
      for (let k = 0; k < size; k++) out.push(parseInt(hex.slice(2 * k, 2 * k + 2), 16));
      continue;
    }
    const code = opcodes.get(upper);
    if (code === undefined) {
      if (/^0x[0-9a-f]{2}$/i.test(t)) out.push(parseInt(t, 16));
      else throw new Error(`unknown opcode ${t}`);
    } else out.push(code);
  }
  for (const [at, label] of fixups) {
    const dest = labels.get(label);
    if (dest === undefined) throw new Error(`unknown label ${label}`);
    out[at] = dest >> 8;
    out[at + 1] = dest & 0xff;
  }
  return Uint8Array.from(out);
}
