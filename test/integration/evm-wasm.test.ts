import { describe, expect, it } from "vitest";
import { blake2fWasmInstalled, compressJs } from "../../src/evm/precompiles/09-blake2f.ts";
import { keccakOnWasm } from "../../src/primitives/keccak.ts";
import { blake2fInput, hexBytes } from "../../src/cli/bench/worst-inputs.ts";
import { newProject } from "./helpers.ts";
import { rpc } from "./metering-helpers.ts";

describe("evm.wasm in workerd", () => {
  it("runs blake2f and KECCAK256 on the module the Worker bundles; blake2f gives the JavaScript form's result", async () => {
    expect(blake2fWasmInstalled()).toBe(true);
    expect(keccakOnWasm()).toBe(true);
    const k = await newProject();
    const input = blake2fInput(1_000);
    const r = await rpc(k, "eth_call", [{ to: "0x0000000000000000000000000000000000000009", data: `0x${input}` }, "latest"]);
    expect(r.json.result).toBe(`0x${Buffer.from(compressJs(hexBytes(input), 1_000, 1)).toString("hex")}`);
  });
});
