/** Code prepared for execution: padded so PUSH never reads past the end, with its jump table. */
export interface AnalysedCode {
  /** The code followed by 33 zero bytes (a PUSH32 at the last byte, then an implicit STOP). */
  readonly padded: Uint8Array;
  readonly length: number;
  /** Bit i set when byte i is a JUMPDEST opcode, not PUSH data. */
  readonly jumpdests: Uint8Array;
  /**
   * Immediates of PUSH7..PUSH32 by the pc of their opcode, decoded on first execution, in their
   * stack form (stack.ts): a number below 2^53, else the word as a bigint and as limbs.
   */
  readonly pushValues: (PushValue | undefined)[];
}

export type PushValue = number | { readonly word: bigint; readonly limbs: Int32Array };

const byBuffer = new WeakMap<Uint8Array, AnalysedCode>();
const byHash = new Map<string, AnalysedCode>();
const BY_HASH_LIMIT = 512;

/**
 * Analyses code once: by code hash when it is known (deployed code, shared across runs and
 * requests), else by buffer (init code).
 */
export function analyse(code: Uint8Array, codeHash?: string): AnalysedCode {
  let a = codeHash === undefined ? byBuffer.get(code) : byHash.get(codeHash);
  if (a !== undefined) return a;
  a = analyseUncached(code);
  if (codeHash === undefined) byBuffer.set(code, a);
  else {
    // A bounded cache: drop the oldest entry (Map keeps insertion order).
    if (byHash.size >= BY_HASH_LIMIT) byHash.delete(byHash.keys().next().value!);
    byHash.set(codeHash, a);
  }
  return a;
}

function analyseUncached(code: Uint8Array): AnalysedCode {
  const n = code.length;
  const padded = new Uint8Array(n + 33);
  padded.set(code);
  const jumpdests = new Uint8Array((n >> 3) + 1);
  for (let i = 0; i < n; i++) {
    const op = code[i];
    if (op === 0x5b) jumpdests[i >> 3] |= 1 << (i & 7);
    else if (op >= 0x60 && op <= 0x7f) i += op - 0x5f;
  }
  return { padded, length: n, jumpdests, pushValues: new Array<PushValue | undefined>(n + 1) };
}

/** Whether `dest` is a JUMPDEST; any number that is not an offset into the code is not. */
export function isJumpdest(a: AnalysedCode, dest: number): boolean {
  return dest >= 0 && dest < a.length && (a.jumpdests[dest >> 3] & (1 << (dest & 7))) !== 0;
}
