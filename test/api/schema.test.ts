import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { address, bytes, object, quantity } from "../../src/api/schema/fields.ts";
import { parse } from "../../src/api/schema/parse.ts";
import { callBody, simulateBody } from "../../src/api/schema/transactions.ts";
import { traceSchema } from "../../src/api/schema/overrides.ts";
import { ServiceError } from "../../src/exec/errors.ts";

/** `<status> <code>: <message>` of what `f` throws, or "ok". */
const refusalOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ServiceError) return `${e.status} ${e.code}: ${e.message}`;
    throw e;
  }
  return "ok";
};
const codeOf = (f: () => unknown) => refusalOf(f).split(":")[0];

describe("request schemas", () => {
  it("accept addresses in lowercase, uppercase or with a correct EIP-55 checksum, and lowercase them", () => {
    // The EIP-55 test vectors.
    for (const a of ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"]) {
      expect(parse(address, a, "to")).toBe(a.toLowerCase());
    }
    expect(parse(address, "0x" + "AB".repeat(20), "to")).toBe("0x" + "ab".repeat(20));
    expect(codeOf(() => parse(address, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "to"))).toBe("400 invalid_address_checksum");
    for (const bad of ["0x12", "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", 12, null, "0x" + "g".repeat(40)]) {
      expect(refusalOf(() => parse(address, bad, "to"))).toBe("400 invalid_address: to must be 0x followed by 40 hex digits");
    }
  });

  it("read quantities as JSON integers, decimal or 0x hex strings, within 256 bits", () => {
    expect(parse(quantity, 7)).toBe(7n);
    expect(parse(quantity, "1000000000000000000000")).toBe(10n ** 21n);
    expect(parse(quantity, "0xff")).toBe(255n);
    expect(parse(quantity, "0x" + "f".repeat(64))).toBe((1n << 256n) - 1n);
    for (const bad of [-1, 1.5, 2 ** 53, "01", "", "0x", "1e3", " 1", true, "0x" + "1".repeat(65), (1n << 256n).toString()]) expect(codeOf(() => parse(quantity, bad, "v"))).toBe("400 invalid_quantity");
  });

  it("read byte strings as even-length 0x hex under a cap (413 above it)", () => {
    const d = object({ d: bytes(2, "x_too_large") });
    expect(parse(d, { d: "0xAbCd" }).d).toEqual(new Uint8Array([0xab, 0xcd]));
    expect(refusalOf(() => parse(d, {}))).toBe("400 missing_field: d is required");
    expect(refusalOf(() => parse(d, { d: "0xabc" }))).toBe("400 invalid_hex: d must be 0x-prefixed hex with an even number of digits");
    expect(refusalOf(() => parse(d, { d: "0xabcdef" }))).toBe("413 x_too_large: d is 3 bytes; the cap is 2");
  });

  it("refuse unknown fields and non-objects, naming where they sit", () => {
    const to = "0x" + "11".repeat(20);
    expect(refusalOf(() => parse(callBody, { to, date: "0x" }))).toBe('400 unknown_field: unknown field "date" in the body (allowed: to, from, value, gas, data, input)');
    expect(refusalOf(() => parse(callBody, []))).toBe("400 invalid_body: the body must be a JSON object");
    expect(refusalOf(() => parse(simulateBody, { transactions: [{ to: "0x12" }] }))).toBe("400 invalid_address: transactions[0].to must be 0x followed by 40 hex digits");
    expect(refusalOf(() => parse(simulateBody, { transactions: [{}], stateOverrides: { "0x12": {} } }))).toBe('400 invalid_address: stateOverrides key "0x12" must be 0x followed by 40 hex digits');
    expect(refusalOf(() => parse(simulateBody, { transactions: [{}], stateOverrides: { [to]: { nonce: 2n ** 64n + "" } } }))).toBe(`400 invalid_quantity: stateOverrides["${to}"].nonce must be below 2^64`);
    expect(refusalOf(() => parse(simulateBody, { transactions: [] }))).toBe("400 invalid_transactions: transactions must be a non-empty array of transaction objects");
  });

  it("take calldata as data or input (geth's newer name), the same bytes when both", () => {
    const to = "0x" + "11".repeat(20);
    expect(parse(callBody, { to, input: "0xabcd" }).data).toEqual(new Uint8Array([0xab, 0xcd]));
    expect(parse(callBody, { to, data: "0xabcd", input: "0xABCD" }).data).toEqual(new Uint8Array([0xab, 0xcd]));
    expect(parse(callBody, { to }).data).toEqual(new Uint8Array(0));
    expect(codeOf(() => parse(callBody, { to, data: "0xab", input: "0xcd" }))).toBe("400 invalid_input");
  });

  it("read a tracer by name or with options, refusing a bad option by name", () => {
    expect(parse(traceSchema, "callTracer")).toEqual({ type: "call", withLog: undefined, onlyTopCall: undefined });
    expect(parse(traceSchema, { type: "opcodes", limit: 5 })).toMatchObject({ type: "opcodes", limit: 5 });
    expect(refusalOf(() => parse(traceSchema, "fourbyte", "trace"))).toBe("400 invalid_trace: trace.type must be one of call, callTracer, prestate, prestateTracer, opcodes, structLogger");
    expect(refusalOf(() => parse(traceSchema, { type: "call", withLog: 1 }, "trace"))).toBe("400 invalid_trace: trace.withLog must be true or false");
  });

  it("carry a code in every message", () => {
    // A message without "<code>: " would answer invalid_body with the schema's own text.
    expect(v.safeParse(callBody, { to: 1 }).issues?.[0].message).toMatch(/^[a-z_]+: /);
  });
});
