/**
 * `npm run build:wasm` (with scripts/build-wasm.ts): writes the struct logger's entry writer on
 * WebAssembly. In JavaScript an entry costs about twenty DataView stores and native copies, each
 * a call; here it is one call per entry, with plain stores and one copy of the stack's text.
 * Written three ways, as evm.wasm is: src/trace/wasm/trace.wat (to read), trace.wasm (the Worker
 * imports it as a module), trace-wasm-bytes.ts (base64, for Node). test/trace/wasm.test.ts checks
 * all three match this script's output.
 */
import { DECIMALS_AT, HEX_AT, LIMBS_AT, OP_LENGTHS, OP_SLOT, OPS_AT, OUT_AT, PAGES, STACK_AT } from "../src/trace/wasm/layout.ts";
import { compileWat, writeWasmModule } from "./wasm-module.ts";

/** ASCII text (up to 16 bytes) as the i64 stores that write it at `$at`, eight bytes a store (the last passes its end: the slack). */
function putConst(text: string): string {
  const stores: string[] = [];
  for (let i = 0; i < text.length; i += 8) {
    let word = 0n;
    for (let k = 0; k < 8 && i + k < text.length; k++) word |= BigInt(text.charCodeAt(i + k)) << BigInt(8 * k);
    stores.push(`(i64.store offset=${i} (local.get $at) (i64.const ${BigInt.asIntN(64, word)}))`);
  }
  return `${stores.join(" ")}
    (local.set $at (i32.add (local.get $at) (i32.const ${text.length})))`;
}

/** The digits of a value below 10^4 packed as DECIMALS_AT holds them. */
const dec = (n: string) => `(i32.load offset=${DECIMALS_AT} (i32.shl ${n} (i32.const 2)))`;

/** Writes the last d (1 to 4) of the four digits of `$x` (below 10^4, d its digits) at `$at`, and moves `$at` past them. */
function last(x: string): string {
  const n = `(local.get $${x})`;
  return `(local.set $d (select (i32.const 1)
      (select (i32.const 2) (select (i32.const 3) (i32.const 4) (i32.lt_u ${n} (i32.const 1000))) (i32.lt_u ${n} (i32.const 100)))
      (i32.lt_u ${n} (i32.const 10))))
    (i32.store (local.get $at) (i32.shr_u ${dec(n)} (i32.shl (i32.sub (i32.const 4) (local.get $d)) (i32.const 3))))
    (local.set $at (i32.add (local.get $at) (local.get $d)))`;
}

/** Writes `$m` (below 10^8) in decimal at `$at`, four digits a store, and moves `$at` past it. */
function num8(): string {
  return `(if (i32.lt_u (local.get $m) (i32.const 10000))
      (then ${last("m")})
      (else
        (local.set $hi (i32.div_u (local.get $m) (i32.const 10000)))
        ${last("hi")}
        (i32.store (local.get $at) ${dec("(i32.sub (local.get $m) (i32.mul (local.get $hi) (i32.const 10000)))")})
        (local.set $at (i32.add (local.get $at) (i32.const 4)))))`;
}

/**
 * Writes the whole number `x` (a float64 from 0 to 2^53) in decimal at `$at` and moves `$at`
 * past it, four digits a store: below 10^8 as an i32, else as its quotient and remainder by 10^8
 * (a float64 division of an integer below 2^53 by 10^8 is never rounded up to the next integer,
 * so its floor is the quotient; the i64 division costs several times it).
 */
function num(x: string): string {
  return `(local.set $x ${x})
    (if (f64.lt (local.get $x) (f64.const 100000000))
      (then (local.set $m (i32.trunc_f64_u (local.get $x))) ${num8()})
      (else
        (local.set $top (f64.floor (f64.div (local.get $x) (f64.const 100000000))))
        (local.set $m (i32.trunc_f64_u (local.get $top)))
        ${num8()}
        (local.set $m (i32.trunc_f64_u (f64.sub (local.get $x) (f64.mul (local.get $top) (f64.const 100000000)))))
        (local.set $hi (i32.div_u (local.get $m) (i32.const 10000)))
        (i32.store (local.get $at) ${dec("(local.get $hi)")})
        (i32.store offset=4 (local.get $at) ${dec("(i32.sub (local.get $m) (i32.mul (local.get $hi) (i32.const 10000)))")})
        (local.set $at (i32.add (local.get $at) (i32.const 8)))))`;
}

/** The eight hex digits of the u32 `$w` as an i64 of their ASCII, the most significant digit in the low byte. */
function hex8(): string {
  const pair = (shift: number) => `(i64.load16_u offset=${HEX_AT} (i32.shl (i32.and (i32.shr_u (local.get $w) (i32.const ${shift})) (i32.const 255)) (i32.const 1)))`;
  return `(i64.or (i64.or ${pair(24)} (i64.shl ${pair(16)} (i64.const 16))) (i64.or (i64.shl ${pair(8)} (i64.const 32)) (i64.shl ${pair(0)} (i64.const 48))))`;
}

/**
 * \`"0x…"\` of the stack item whose limbs are the oth (LIMBS_AT: 8 u32, least significant first),
 * its hex without leading zeros, at STACK_AT + at; answers where it ends. The top limb's eight
 * digits are shifted right past its leading zeros, and stored eight bytes at a time (passing its
 * end by up to six bytes: the slack).
 */
function limbsFunc(): string {
  const limb = (k: string) => `(i32.load offset=${LIMBS_AT} (i32.shl (i32.add (local.get $o) ${k}) (i32.const 2)))`;
  return `  (func (export "limbs") (param $at i32) (param $o i32) (result i32) (local $k i32) (local $w i32) (local $d i32)
    (local.set $at (i32.add (local.get $at) (i32.const ${STACK_AT})))
    (i32.store16 (local.get $at) (i32.const ${0x22 | (0x30 << 8)}))
    (i32.store8 offset=2 (local.get $at) (i32.const ${0x78}))
    (local.set $at (i32.add (local.get $at) (i32.const 3)))
    (local.set $k (i32.const 7))
    (block $found (loop $next
      (br_if $found (i32.eqz (local.get $k)))
      (br_if $found ${limb("(local.get $k)")})
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br $next)))
    (local.set $w ${limb("(local.get $k)")})
    (local.set $d (select (i32.shr_u (i32.sub (i32.const 35) (i32.clz (local.get $w))) (i32.const 2)) (i32.const 1) (local.get $w)))
    (i64.store (local.get $at) (i64.shr_u ${hex8()} (i64.extend_i32_u (i32.shl (i32.sub (i32.const 8) (local.get $d)) (i32.const 3)))))
    (local.set $at (i32.add (local.get $at) (local.get $d)))
    (block $done (loop $more
      (br_if $done (i32.eqz (local.get $k)))
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (local.set $w ${limb("(local.get $k)")})
      (i64.store (local.get $at) ${hex8()})
      (local.set $at (i32.add (local.get $at) (i32.const 8)))
      (br $more)))
    (i32.store8 (local.get $at) (i32.const 34))
    (i32.sub (i32.add (local.get $at) (i32.const 1)) (i32.const ${STACK_AT})))`;
}

function wat(): string {
  const opAt = `(i32.mul (local.get $op) (i32.const ${OP_SLOT}))`;
  const copyOp = [0, 16].map((i) => `(v128.store offset=${i} (local.get $at) (v128.load offset=${OPS_AT + i} ${opAt}))`).join(" ");
  return `;; Generated by scripts/build-trace-wasm.ts: the struct logger's entry writer.
(module
  (memory (export "memory") ${PAGES})
${limbsFunc()}
  ;; Writes an entry at OUT_AT + at: ,{"pc":N,"op":"NAME","gas":N,"gasCost":N,"depth":N then,
  ;; when from >= 0, ,"stack":[ the stack's text [from, end) ]; then, when refund > 0, ,"refund":N; then }
  ;; (the log's first entry without the comma).
  ;; Numbers are integers from 0 to 2^53. Answers where the entry ends.
  (func (export "entry") (param $at i32) (param $first i32) (param $pc i32) (param $op i32) (param $gas f64) (param $gasCost f64) (param $depth i32) (param $from i32) (param $end i32) (param $refund f64) (result i32)
    (local $src i32) (local $dst i32) (local $stop i32) (local $x f64) (local $top f64) (local $m i32) (local $hi i32) (local $d i32)
    (local.set $at (i32.add (local.get $at) (i32.const ${OUT_AT})))
    (if (local.get $first)
      (then ${putConst('{"pc":')})
      (else ${putConst(',{"pc":')}))
    ${num("(f64.convert_i32_u (local.get $pc))")}
    ${copyOp}
    (local.set $at (i32.add (local.get $at) (i32.load8_u offset=${OP_LENGTHS} (local.get $op))))
    ${num("(local.get $gas)")}
    ${putConst(',"gasCost":')}
    ${num("(local.get $gasCost)")}
    ${putConst(',"depth":')}
    ${num("(f64.convert_i32_u (local.get $depth))")}
    (if (i32.ge_s (local.get $from) (i32.const 0))
      (then
        ${putConst(',"stack":[')}
        ;; Sixteen bytes a store (reading and writing up to fifteen past the range, which the next
        ;; bytes overwrite: an entry's region has room past OUT_SIZE); a long text as one copy.
        (local.set $src (i32.add (local.get $from) (i32.const ${STACK_AT})))
        (local.set $stop (i32.add (local.get $end) (i32.const ${STACK_AT})))
        (local.set $at (i32.add (local.get $at) (i32.sub (local.get $end) (local.get $from))))
        (local.set $dst (i32.sub (local.get $at) (i32.sub (local.get $end) (local.get $from))))
        (if (i32.gt_u (i32.sub (local.get $end) (local.get $from)) (i32.const 512))
          (then (memory.copy (local.get $dst) (local.get $src) (i32.sub (local.get $end) (local.get $from))))
          (else
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $src) (local.get $stop)))
              (v128.store (local.get $dst) (v128.load (local.get $src)))
              (local.set $src (i32.add (local.get $src) (i32.const 16)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
              (br $next)))))
        (i32.store8 (local.get $at) (i32.const 93))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))))
    (if (f64.gt (local.get $refund) (f64.const 0))
      (then
        ${putConst(',"refund":')}
        ${num("(local.get $refund)")}))
    (i32.store8 (local.get $at) (i32.const 125))
    (i32.sub (i32.add (local.get $at) (i32.const 1)) (i32.const ${OUT_AT}))))
`;
}

export async function buildTraceWasm(): Promise<{ text: string; bytes: Uint8Array }> {
  return compileWat("trace", wat());
}

export const TRACE_WASM_DIR = "src/trace/wasm";

if (process.argv[1]?.endsWith("build-trace-wasm.ts")) writeWasmModule(TRACE_WASM_DIR, "trace", "TRACE_WASM_BASE64", "scripts/build-trace-wasm.ts", await buildTraceWasm());
