import { CollectStackTraces, EdrContext, IncludeTraces, L1_CHAIN_TYPE, l1SolidityTestRunnerFactory, PRAGUE, type SuiteResult } from "@nomicfoundation/edr";
import { asm } from "../asm.ts";
import { bytesToHex, hexToBytes } from "../../primitives/hex.ts";
import { TARGET, type Engine, type RunOutcome } from "./engines.ts";

/**
 * revm (Rust), through the Solidity test runner of @nomicfoundation/edr (dev dependency): the
 * only EDR entry that runs code without per-step tracing (its JSON-RPC provider records every
 * step for stack traces). The runner executes a test contract, the harness below, with the
 * workload predeployed at TARGET. revm runs there under Foundry's inspector stack (cheatcodes,
 * call-level tracer), which costs it a little; no EDR API runs revm bare.
 *
 * The harness calls itself `n` times; each self-call calls the workload once, measures the gas
 * it took with GAS before and after, and reverts with (gas, success, output): the revert undoes
 * the workload's state changes and warm accesses (EIP-2929), so every call starts alike. The
 * same harness around code that just STOPs gives the fixed costs, subtracted from both the gas
 * and the test's duration, so the figure is revm's time for the workload's execution alone.
 */

const CONSOLE = "0x000000000000000000636F6e736F6c652e6c6f67";
/** `log(bytes)` of Foundry's console: the runner decodes it into the test's logs. */
const LOG_BYTES = 0x0be77f56n << 224n;
/** `failed()`, which the runner may ask a test contract: it answers false. */
const FAILED = 0xba414fa6;
/** Gas a repetition should reach at least: enough for the clock, little for the runner. */
const GAS_PER_TEST = 20_000_000;

/** Code followed by data; `make(offset)` builds the code given where the data will start. */
function withData(make: (offset: number) => Uint8Array, data: Uint8Array): Uint8Array {
  const code = make(make(0).length);
  const out = new Uint8Array(code.length + data.length);
  out.set(code);
  out.set(data, code.length);
  return out;
}

function harness(calldata: Uint8Array, gasLimit: number, n: number): Uint8Array {
  return withData((at) => asm(`
    PUSH0 CALLDATALOAD PUSH 224 SHR PUSH4 ${FAILED} EQ @failed JUMPI
    ADDRESS CALLER EQ @once JUMPI
    PUSH4 ${n}
    :loop DUP1 ISZERO @done JUMPI
      PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 ADDRESS GAS CALL POP
      PUSH 1 SWAP1 SUB @loop JUMP
    :done POP
    PUSH32 ${LOG_BYTES} PUSH0 MSTORE PUSH 32 PUSH 4 MSTORE RETURNDATASIZE PUSH 36 MSTORE
    RETURNDATASIZE PUSH0 PUSH 68 RETURNDATACOPY
    PUSH0 PUSH0 RETURNDATASIZE PUSH 68 ADD PUSH0 PUSH20 ${CONSOLE} GAS STATICCALL POP STOP
    :failed PUSH 32 PUSH0 RETURN
    :once
    PUSH4 ${calldata.length} PUSH4 ${at} PUSH0 CODECOPY
    GAS PUSH0 PUSH0 PUSH4 ${calldata.length} PUSH0 PUSH0 PUSH20 ${TARGET} PUSH8 ${gasLimit} CALL
    GAS SWAP1 SWAP2 SUB PUSH0 MSTORE PUSH 32 MSTORE
    RETURNDATASIZE PUSH0 PUSH 64 RETURNDATACOPY RETURNDATASIZE PUSH 64 ADD PUSH0 REVERT`), calldata);
}

const creation = (runtime: Uint8Array) => withData((at) => asm(`PUSH4 ${runtime.length} PUSH4 ${at} PUSH0 CODECOPY PUSH4 ${runtime.length} PUSH0 RETURN`), runtime);

const ID = { name: "RevmBench", source: "RevmBench.sol", solcVersion: "0.8.30" };
const ABI = JSON.stringify([{ type: "function", name: "test_workload", inputs: [], outputs: [], stateMutability: "nonpayable" }]);

let context: Promise<EdrContext> | undefined;

function edr(): Promise<EdrContext> {
  context ??= (async () => {
    const ctx = new EdrContext();
    await ctx.registerSolidityTestRunnerFactory(L1_CHAIN_TYPE, l1SolidityTestRunnerFactory());
    return ctx;
  })();
  return context;
}

interface Repetition {
  ns: number;
  gas: number;
  success: boolean;
  output: string;
}

/** Runs the harness once as a test; the duration is the runner's own measure of the test. */
async function runHarness(code: Uint8Array, calldata: Uint8Array, gasLimit: number, n: number): Promise<Repetition> {
  const runtime = harness(calldata, gasLimit, n);
  const artifact = { id: ID, contract: { abi: ABI, bytecode: bytesToHex(creation(runtime)), deployedBytecode: bytesToHex(runtime) } };
  let done!: (s: SuiteResult) => void;
  const finished = new Promise<SuiteResult>((resolve) => (done = resolve));
  const ctx = await edr();
  await ctx.runSolidityTests(
    L1_CHAIN_TYPE,
    [artifact],
    [ID],
    {
      projectRoot: process.cwd(),
      hardfork: PRAGUE,
      includeTraces: IncludeTraces.None,
      collectStackTraces: CollectStackTraces.OnFailure,
      localPredeploys: [{ address: hexToBytes(TARGET), code, nonce: 1n }],
    },
    { buildInfos: [] },
    done,
  );
  // The runner reports the suite through the callback, which may come after its promise settles.
  const test = (await finished).testResults[0];
  const log = test?.decodedLogs[0];
  if (test === undefined || test.status !== "Success" || log === undefined) throw new Error(`revm: the harness failed: ${test?.reason ?? "no result"}`);
  const out = log.slice(2);
  return { ns: Number(test.durationNs), gas: parseInt(out.slice(0, 64), 16), success: out.slice(64, 128).endsWith("1"), output: out.slice(128) };
}

const STOP = Uint8Array.of(0x00);

/** How many repetitions each prepared workload runs, found once by a probe. */
const repetitions = new Map<string, number>();

export const revm: Engine = {
  name: "revm",
  reusable: true,
  async prepare(code, calldata, gasLimit) {
    const key = bytesToHex(code) + bytesToHex(calldata);
    let n = repetitions.get(key);
    if (n === undefined) {
      const probe = await runHarness(code, calldata, gasLimit, 1);
      n = Math.max(1, Math.ceil(GAS_PER_TEST / Math.max(1, probe.gas)));
      repetitions.set(key, n);
    }
    const times = n;
    return {
      async run(): Promise<RunOutcome> {
        const w = await runHarness(code, calldata, gasLimit, times);
        const base = await runHarness(STOP, calldata, gasLimit, times);
        if (!w.success) throw new Error("revm: the workload did not succeed");
        return { output: w.output, execGas: w.gas - base.gas, ms: Math.max(0, w.ns - base.ns) / times / 1e6 };
      },
    };
  },
};
