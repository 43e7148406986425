import { describe, expect, it } from "vitest";
import { address, bytes, gasOf, object, uint } from "../../src/api/validate.ts";
import { ServiceError } from "../../src/exec/errors.ts";

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ServiceError) return `${e.status} ${e.code}`;
    throw e;
  }
  return "ok";
};

describe("request validation", () => {
  it("accepts addresses in lowercase, uppercase or with a correct EIP-55 checksum, and lowercases them", () => {
    // The EIP-55 test vectors.
    for (const a of ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"]) {
      expect(address(a, "to")).toBe(a.toLowerCase());
    }
    expect(address("0x" + "AB".repeat(20), "to")).toBe("0x" + "ab".repeat(20));
    expect(codeOf(() => address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "to"))).toBe("400 invalid_address_checksum");
    for (const bad of ["0x12", "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", 12, null, "0x" + "g".repeat(40)]) expect(codeOf(() => address(bad, "to"))).toBe("400 invalid_address");
  });

  it("reads quantities as JSON integers, decimal or 0x hex strings, within 256 bits", () => {
    expect(uint(7, "v")).toBe(7n);
    expect(uint("1000000000000000000000", "v")).toBe(10n ** 21n);
    expect(uint("0xff", "v")).toBe(255n);
    expect(uint("0x" + "f".repeat(64), "v")).toBe((1n << 256n) - 1n);
    for (const bad of [-1, 1.5, 2 ** 53, "01", "", "0x", "1e3", " 1", true, "0x" + "1".repeat(65), (1n << 256n).toString()]) expect(codeOf(() => uint(bad, "v"))).toBe("400 invalid_quantity");
  });

  it("reads byte strings as even-length 0x hex under a cap", () => {
    expect(bytes({ d: "0xAbCd" }, "d", 2, { required: true, tooLargeCode: "x_too_large" })).toEqual(new Uint8Array([0xab, 0xcd]));
    expect(bytes({}, "d", 2, { required: false, tooLargeCode: "x" })).toEqual(new Uint8Array(0));
    expect(codeOf(() => bytes({}, "d", 2, { required: true, tooLargeCode: "x" }))).toBe("400 missing_field");
    expect(codeOf(() => bytes({ d: "0xabc" }, "d", 2, { required: true, tooLargeCode: "x" }))).toBe("400 invalid_hex");
    expect(codeOf(() => bytes({ d: "0xabcdef" }, "d", 2, { required: true, tooLargeCode: "x_too_large" }))).toBe("413 x_too_large");
  });

  it("refuses unknown fields and non-objects, and caps gas", () => {
    expect(codeOf(() => object({ a: 1, b: 2 }, ["a"]))).toBe("400 unknown_field");
    expect(codeOf(() => object([], ["a"]))).toBe("400 invalid_body");
    expect(gasOf({}, 100n)).toEqual({ gas: 100n, defaulted: true });
    expect(gasOf({ gas: 50 }, 100n)).toEqual({ gas: 50n, defaulted: false });
    expect(codeOf(() => gasOf({ gas: 101 }, 100n))).toBe("400 gas_limit_too_high");
  });
});
