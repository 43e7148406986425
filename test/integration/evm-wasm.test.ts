import { describe, expect, it } from "vitest";
import { blake2fWasmInstalled, compressJs } from "../../src/evm/precompiles/09-blake2f.ts";
import { keccakOnWasm } from "../../src/primitives/keccak.ts";
import { blake2fInput, hexBytes } from "../../src/cli/bench/worst-inputs.ts";
import { asm } from "../../src/cli/asm.ts";
import { bytesToHex } from "../../src/primitives/hex.ts";
import { traceWasmInstalled } from "../../src/trace/struct-log-wasm.ts";
import { StructLogger } from "../../src/trace/struct-logger.ts";
import { newProject } from "./helpers.ts";
import { rpc } from "./metering-helpers.ts";

describe("evm.wasm and trace.wasm in workerd", () => {
  it("runs blake2f and KECCAK256 on the module the Worker bundles; blake2f gives the JavaScript form's result", async () => {
    expect(blake2fWasmInstalled()).toBe(true);
    expect(keccakOnWasm()).toBe(true);
    const k = await newProject();
    const input = blake2fInput(1_000);
    const r = await rpc(k, "eth_call", [{ to: "0x0000000000000000000000000000000000000009", data: `0x${input}` }, "latest"]);
    expect(r.json.result).toBe(`0x${Buffer.from(compressJs(hexBytes(input), 1_000, 1)).toString("hex")}`);
  });

  it("writes struct log entries on the trace.wasm the Worker bundles, an instance of it made per trace, and answers geth's entries", async () => {
    expect(traceWasmInstalled()).toBe(true);
    // Instantiating the compiled module at run time is allowed in workerd (compiling bytes is not).
    expect(new StructLogger({}).logs.writerMemory).toBeDefined();
    const k = await newProject();
    // A countdown of 1,500 rounds of 7 instructions: 10,502 entries, over 1 MiB of text, so the region is copied out many times.
    const loop = bytesToHex(asm("PUSH2 1500 :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP"));
    const r = await rpc(k, "debug_traceCall", [{ from: k.address, data: loop, gas: "0x1000000" }, "latest", {}]);
    const logs = r.json.result.structLogs;
    expect(logs).toHaveLength(1 + 1500 * 7 + 1);
    expect(logs[0]).toEqual({ pc: 0, op: "PUSH2", gas: logs[0].gas, gasCost: 3, depth: 1, stack: [] });
    expect(logs[logs.length - 2]).toMatchObject({ op: "JUMPI", stack: ["0x0", "0x0", "0x3"] });
    expect(logs[logs.length - 1]).toMatchObject({ op: "STOP", stack: ["0x0"] });
  });
});
