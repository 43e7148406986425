/**
 * `npm run build:wasm`: writes the WebAssembly the EVM uses from the source below.
 *
 * MULMOD by a modulus above 2^224 (weierstrudel's bn254 prime) multiplies and reduces 32-bit
 * digits in i64 (Barrett's reduction, mulmodFunc below) about three times as fast as BigInt's
 * product and remainder, for words already held as limbs.
 *
 * Two hashes work on 64-bit words, which JavaScript has only as BigInt, so their JS forms work on
 * 32-bit halves: blake2f (EIP-152), BLAKE2b's compression, about 10x slower per round than the
 * same code on WebAssembly's i64, and Keccak-f[1600] under every KECCAK256. The module is
 * generated as text (WAT: blake2f's ten rounds unrolled with SIGMA resolved to constant memory
 * offsets; Keccak's 24 rounds unrolled with rho and pi resolved), compiled with wabt, and written
 * three ways:
 * - src/evm/wasm/evm.wat: the text, to read;
 * - src/evm/wasm/evm.wasm: the binary the Worker imports as a module (workerd refuses to compile
 *   WebAssembly from bytes at run time);
 * - src/evm/wasm/evm-wasm-bytes.ts: the same bytes in base64 for Node (tests, CLI).
 * test/evm/wasm.test.ts checks all three match this script's output.
 */
import { SIGMA } from "../src/evm/precompiles/09-blake2f.ts";
import { KECCAK_STATE, LIMB_REGIONS, LIMB_REGIONS_AT, MULMOD_AT } from "../src/evm/wasm/layout.ts";
import { compileWat, writeWasmModule } from "./wasm-module.ts";

/** BLAKE2b's initialisation vector. */
const IV = [
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
];

// Memory. blake2f: as the precompile's input lays it out after the 4-byte round count, h (8
// words) at 0, m (16 words) at 64, t (2 words) at 192; the new h is written back at 0. Keccak:
// the 25 lanes of the state at KECCAK_STATE. Words little-endian.
const M = 64, T = 192;

const v = (i: number) => `(local.get $v${i})`;
const set = (i: number, e: string) => `(local.set $v${i} ${e})`;
const m = (i: number) => `(i64.load offset=${M + 8 * i} (i32.const 0))`;

/** The mixing function G on v[a], v[b], v[c], v[d] with message words x and y. */
function g(a: number, b: number, c: number, d: number, x: number, y: number): string {
  return [
    set(a, `(i64.add (i64.add ${v(a)} ${v(b)}) ${m(x)})`),
    set(d, `(i64.rotr (i64.xor ${v(d)} ${v(a)}) (i64.const 32))`),
    set(c, `(i64.add ${v(c)} ${v(d)})`),
    set(b, `(i64.rotr (i64.xor ${v(b)} ${v(c)}) (i64.const 24))`),
    set(a, `(i64.add (i64.add ${v(a)} ${v(b)}) ${m(y)})`),
    set(d, `(i64.rotr (i64.xor ${v(d)} ${v(a)}) (i64.const 16))`),
    set(c, `(i64.add ${v(c)} ${v(d)})`),
    set(b, `(i64.rotr (i64.xor ${v(b)} ${v(c)}) (i64.const 63))`),
  ].join("\n      ");
}

function round(s: number[]): string {
  return [
    g(0, 4, 8, 12, s[0], s[1]), g(1, 5, 9, 13, s[2], s[3]), g(2, 6, 10, 14, s[4], s[5]), g(3, 7, 11, 15, s[6], s[7]),
    g(0, 5, 10, 15, s[8], s[9]), g(1, 6, 11, 12, s[10], s[11]), g(2, 7, 8, 13, s[12], s[13]), g(3, 4, 9, 14, s[14], s[15]),
  ].join("\n      ");
}

const i64 = (x: bigint) => `(i64.const ${BigInt.asIntN(64, x)})`;

function blake2fFunc(): string {
  const locals = Array.from({ length: 16 }, (_, i) => `(local $v${i} i64)`).join(" ");
  const init = [
    ...Array.from({ length: 8 }, (_, i) => set(i, `(i64.load offset=${8 * i} (i32.const 0))`)),
    ...IV.map((x, i) => set(8 + i, i64(x))),
    set(12, `(i64.xor ${v(12)} (i64.load offset=${T} (i32.const 0)))`),
    set(13, `(i64.xor ${v(13)} (i64.load offset=${T + 8} (i32.const 0)))`),
    `(if (local.get $final) (then ${set(14, `(i64.xor ${v(14)} (i64.const -1))`)}))`,
  ].join("\n    ");
  // Ten rounds unrolled (SIGMA repeats every ten), leaving the loop when the count runs out.
  const rounds = SIGMA.map((s) => `(br_if $done (i32.eqz (local.get $rounds)))
      ${round(s)}
      (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))`).join("\n      ");
  const out = Array.from({ length: 8 }, (_, i) => `(i64.store offset=${8 * i} (i32.const 0) (i64.xor (i64.xor (i64.load offset=${8 * i} (i32.const 0)) ${v(i)}) ${v(i + 8)}))`).join("\n    ");
  return `  ;; BLAKE2b's compression F (EIP-152).
  (func (export "blake2f") (param $rounds i32) (param $final i32) ${locals}
    ${init}
    (block $done
      (loop $next
      ${rounds}
      (br $next)))
    ${out})`;
}

/** Keccak-f[1600]'s rotation offsets and lane permutation (rho and pi), by lane x + 5y. */
const ROT: number[] = new Array(25).fill(0);
const PI: number[] = new Array(25).fill(0);
{
  let x = 1, y = 0;
  for (let t = 0; t < 24; t++) {
    ROT[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) PI[x + 5 * y] = y + 5 * ((2 * x + 3 * y) % 5);
}

/** The 24 round constants (iota), from the LFSR of the Keccak reference. */
const RC: bigint[] = [];
{
  let r = 1;
  for (let i = 0; i < 24; i++) {
    let c = 0n;
    for (let j = 0; j < 7; j++) {
      if (r & 1) c |= 1n << BigInt((1 << j) - 1);
      r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
    }
    RC.push(c);
  }
}

function keccakFunc(): string {
  const a = (i: number) => `(local.get $a${i})`, b = (i: number) => `(local.get $b${i})`, c = (i: number) => `(local.get $c${i})`;
  const locals = ["a", "b"].flatMap((p) => Array.from({ length: 25 }, (_, i) => `(local $${p}${i} i64)`)).concat(Array.from({ length: 5 }, (_, i) => `(local $c${i} i64)`), ["(local $d i64)"]).join(" ");
  const lane = (i: number) => `offset=${KECCAK_STATE + 8 * i} (i32.const 0)`;
  const body: string[] = Array.from({ length: 25 }, (_, i) => `(local.set $a${i} (i64.load ${lane(i)}))`);
  for (const rc of RC) {
    for (let x = 0; x < 5; x++) body.push(`(local.set $c${x} (i64.xor (i64.xor (i64.xor (i64.xor ${a(x)} ${a(x + 5)}) ${a(x + 10)}) ${a(x + 15)}) ${a(x + 20)}))`);
    for (let x = 0; x < 5; x++) {
      body.push(`(local.set $d (i64.xor ${c((x + 4) % 5)} (i64.rotl ${c((x + 1) % 5)} (i64.const 1))))`);
      for (let y = 0; y < 25; y += 5) body.push(`(local.set $a${x + y} (i64.xor ${a(x + y)} (local.get $d)))`);
    }
    for (let i = 0; i < 25; i++) body.push(`(local.set $b${PI[i]} ${ROT[i] === 0 ? a(i) : `(i64.rotl ${a(i)} (i64.const ${ROT[i]}))`})`);
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) body.push(`(local.set $a${x + y} (i64.xor ${b(x + y)} (i64.and (i64.xor ${b(((x + 1) % 5) + y)} (i64.const -1)) ${b(((x + 2) % 5) + y)})))`);
    }
    body.push(`(local.set $a0 (i64.xor ${a(0)} ${i64(rc)}))`);
  }
  for (let i = 0; i < 25; i++) body.push(`(i64.store ${lane(i)} ${a(i)})`);
  return `  ;; Keccak-f[1600] on the state at ${KECCAK_STATE}.
  (func (export "keccakF1600") ${locals}
    ${body.join("\n    ")})`;
}

// MULMOD by Barrett's reduction (Handbook of Applied Cryptography, 14.42) on 32-bit digits
// (b = 2^32, k = 8) for a modulus above 2^224: x = a * b; q = floor(floor(x / b^7) * mu / b^9)
// with mu = floor(2^512 / n), which is below b^9 for such n; r = x - q * n modulo b^9, then n
// subtracted while r >= n: r < 3n with q exact, 4n with the low columns of q's product left out
// below. Products of 32-bit digits in i64: each column sums the low halves of its products and
// the high halves of the column before, so no sum passes 2^40 and the products are independent
// (no serial carry chain per product, as Montgomery's has). u32 digits, least significant first:
// a, b and the modulus at the byte offsets given (stack slots' limbs: frames' limbs live in this
// memory, from LIMB_REGIONS_AT), the result written to the fourth; the kept modulus (8 digits) and
// its mu (9) at MULMOD_AT, the digits of 1 after them (ADDMOD reduces a term as its product by 1).
const MM = { n: MULMOD_AT, mu: MULMOD_AT + 32, one: MULMOD_AT + 96 };
const PAGES = Math.ceil((LIMB_REGIONS_AT + LIMB_REGIONS * 32768) / 65536);

function mulmodFunc(): string {
  const names = new Set<string>();
  const get = (n: string) => `(local.get $${n})`;
  const set = (n: string, e: string) => {
    names.add(n);
    return `(local.set $${n} ${e})`;
  };
  const LOW = "(i64.const 4294967295)";
  const load = (at: number, i: number) => `(i64.load32_u offset=${at + 4 * i} (i32.const 0))`;
  const loadAt = (p: string, i: number) => `(i64.load32_u offset=${4 * i} (local.get $${p}))`;
  /** Columns `from`..`to` of the product of digits x (nx of them) and y (ny) into locals `out`c. */
  function columns(x: string, nx: number, y: string, ny: number, out: string, from: number, to: number, skipBelow = 0): string[] {
    const code = [set("c", "(i64.const 0)"), set("h", "(i64.const 0)")];
    for (let col = skipBelow; col <= to; col++) {
      code.push(set("s", `(i64.add ${get("c")} ${get("h")})`), set("h", "(i64.const 0)"));
      for (let i = 0; i < nx; i++) {
        const j = col - i;
        if (j < 0 || j >= ny) continue;
        code.push(
          set("t", `(i64.mul ${get(x + i)} ${get(y + j)})`),
          set("s", `(i64.add ${get("s")} (i64.and ${get("t")} ${LOW}))`),
          set("h", `(i64.add ${get("h")} (i64.shr_u ${get("t")} (i64.const 32)))`),
        );
      }
      if (col >= from) code.push(set(out + col, `(i64.and ${get("s")} ${LOW})`));
      code.push(set("c", `(i64.shr_u ${get("s")} (i64.const 32))`));
    }
    return code;
  }
  /** r := r - n over nine digits, modulo b^9. */
  const subtractN = () => {
    const code = [set("w", "(i64.const 0)")];
    for (let i = 0; i < 9; i++) {
      code.push(
        set("s", `(i64.sub (i64.sub ${get("r" + i)} ${get("n" + i)}) ${get("w")})`),
        set("r" + i, `(i64.and ${get("s")} ${LOW})`),
        set("w", `(i64.shr_u ${get("s")} (i64.const 63))`),
      );
    }
    return code.join("\n        ");
  };
  // r >= n, from the top digit down.
  let atLeastN = "(i32.const 1)";
  for (let i = 0; i <= 8; i++) atLeastN = `(if (result i32) (i64.ne ${get("r" + i)} ${get("n" + i)}) (then (i64.gt_u ${get("r" + i)} ${get("n" + i)})) (else ${atLeastN}))`;
  const body: string[] = [];
  // Not the kept modulus: 0, and JavaScript keeps it (with its mu) and calls again.
  const differs = [0, 1, 2, 3].map((i) => `(i64.ne (i64.load offset=${8 * i} (local.get $m)) (i64.load offset=${MM.n + 8 * i} (i32.const 0)))`);
  body.push(`(if (i32.or (i32.or ${differs[0]} ${differs[1]}) (i32.or ${differs[2]} ${differs[3]})) (then (return (i32.const 0))))`);
  for (let i = 0; i < 8; i++) body.push(set("a" + i, loadAt("x", i)), set("b" + i, loadAt("y", i)), set("n" + i, load(MM.n, i)));
  body.push(set("n8", "(i64.const 0)"));
  for (let i = 0; i < 9; i++) body.push(set("m" + i, load(MM.mu, i)));
  // x = a * b: sixteen digits (no carry out of the last: x < 2^512).
  body.push(...columns("a", 8, "b", 8, "x", 0, 15));
  // q = x's top nine digits times mu, digits 9..17; columns below 6 are left out, which makes q
  // at most one too small.
  for (let i = 0; i < 9; i++) body.push(set("q" + i, get("x" + (7 + i))));
  body.push(...columns("q", 9, "m", 9, "y", 9, 16, 6), set("y17", `(i64.add ${get("c")} ${get("h")})`));
  for (let i = 0; i < 9; i++) body.push(set("q" + i, get("y" + (9 + i))));
  // r = x - q * n, modulo b^9.
  body.push(...columns("q", 9, "n", 8, "z", 0, 8), set("w", "(i64.const 0)"));
  for (let i = 0; i < 9; i++) {
    body.push(
      set("s", `(i64.sub (i64.sub ${get("x" + i)} ${get("z" + i)}) ${get("w")})`),
      set("r" + i, `(i64.and ${get("s")} ${LOW})`),
      set("w", `(i64.shr_u ${get("s")} (i64.const 63))`),
    );
  }
  // r < 4n: three conditional subtractions, unrolled (no loop that a wrong mu could keep going).
  for (let k = 0; k < 3; k++) body.push(`(if ${atLeastN} (then ${subtractN()}))`);
  for (let i = 0; i < 8; i++) body.push(`(i64.store32 offset=${4 * i} (local.get $d) ${get("r" + i)})`);
  body.push("(i32.const 1)");
  const locals = [...names].map((n) => `(local $${n} i64)`).join(" ");
  return `  ;; (a * b) mod n for n above 2^224, by Barrett's reduction with mu = 2^512 / n (kept at ${MULMOD_AT}).
  (func (export "mulmod") (param $x i32) (param $y i32) (param $m i32) (param $d i32) (result i32) ${locals}
    ${body.join("\n    ")})`;
}

function wat(): string {
  return `;; Generated by scripts/build-wasm.ts: the EVM's 64-bit hash rounds and MULMOD's product.
(module
  (memory (export "memory") ${PAGES})
  (data (i32.const ${MM.one}) "\\01")
${blake2fFunc()}
${keccakFunc()}
${mulmodFunc()})
`;
}

export async function buildWasm(): Promise<{ text: string; bytes: Uint8Array }> {
  return compileWat("evm", wat());
}

export const WASM_DIR = "src/evm/wasm";

if (process.argv[1]?.endsWith("build-wasm.ts")) writeWasmModule(WASM_DIR, "evm", "EVM_WASM_BASE64", "scripts/build-wasm.ts", await buildWasm());
