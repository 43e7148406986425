import type { Inspector } from "../inspector.ts";
import type { Instruction, InstructionTable } from "./table.ts";

/**
 * The instructions the plain loop runs inline, never through its table (interpreter.ts): they
 * cannot be watched (an inspector that needs them uses step hooks).
 */
export const INLINE_OPS: ReadonlySet<number> = new Set([
  0x01, 0x03, 0x10, 0x11, 0x14, 0x15, 0x50, 0x56, 0x57, 0x5b, 0x60, 0x61,
  ...Array.from({ length: 32 }, (_, i) => 0x80 + i),
]);

/**
 * `table` with the instructions `insp` watches wrapped so that its `watch` hook runs first: the
 * rest of the table is shared, so a run watched this way keeps the plain loop and pays only on
 * the instructions watched (an access list watches 11 of 256).
 */
export function watchedTable(table: InstructionTable, insp: Inspector): InstructionTable {
  const watched = insp.watched;
  if (watched === undefined || watched.size === 0) return table;
  const fns = table.fns.slice();
  for (const op of watched) {
    if (INLINE_OPS.has(op)) throw new Error(`opcode 0x${op.toString(16)} runs inline: watch it with step hooks`);
    const inner = fns[op];
    fns[op] = watching(inner, insp, op);
  }
  return { ...table, fns };
}

function watching(inner: Instruction, insp: Inspector, op: number): Instruction {
  return (f) => {
    insp.watch!(f, op);
    inner(f);
  };
}
