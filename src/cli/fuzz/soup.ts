import { Fork } from "../../evm/fork.ts";
import { instructionTable } from "../../evm/opcodes/table.ts";
import { offset, push, word, type Rng } from "./rng.ts";

const JUMP = 0x56, JUMPI = 0x57, JUMPDEST = 0x5b;

/**
 * Random instructions of the fork, less structured than `program`: each opcode is, most of the
 * time, preceded by pushes of biased values for what it reads (boundary words, memory offsets),
 * JUMP/JUMPI go to a JUMPDEST of the program (or now and then anywhere), PUSHn immediates are
 * random. Reaches orders and stack shapes the segment generator never builds.
 */
export function soup(r: Rng, fork: Fork): Uint8Array {
  const table = instructionTable(fork);
  const defined = table.names.flatMap((name, op) => (name.startsWith("0x") ? [] : [op]));
  const out: number[] = [];
  const jumpdests: number[] = [];
  const fixups: number[] = [];
  for (let n = 1 + r.int(60); n > 0; n--) {
    const op = r.chance(0.1) ? JUMPDEST : r.pick(defined);
    if (op === JUMPDEST) jumpdests.push(out.length);
    if (r.chance(0.8)) for (let i = table.minStack[op] - (op === JUMP || op === JUMPI ? 1 : 0); i > 0; i--) out.push(...push(r.chance(0.3) ? offset(r) : word(r)));
    if (op === JUMP || op === JUMPI) {
      out.push(0x61, 0, 0);
      fixups.push(out.length - 2);
    }
    out.push(op);
    if (op >= 0x60 && op <= 0x7f) out.push(...r.bytes(op - 0x5f));
  }
  for (const at of fixups) {
    const dest = jumpdests.length > 0 && r.chance(0.9) ? r.pick(jumpdests) : r.int(out.length + 2);
    out[at] = dest >> 8;
    out[at + 1] = dest & 0xff;
  }
  return Uint8Array.from(out);
}
