import { jsonAnswer } from "../../api/json-stream.ts";
import { getHeapStatistics } from "node:v8";
import { limitsOnly } from "../../exec/meter.ts";
import { traceRun, type TraceRequest } from "../../exec/trace.ts";
import type { Address } from "../../primitives/hex.ts";
import type { BlockEnv, Need, Tx } from "../../evm/types.ts";
import { MemoryState } from "../../state/memory.ts";
import { asm } from "../asm.ts";

const SENDER = "0x1000000000000000000000000000000000000001" as Address;
const TARGET = "0x2000000000000000000000000000000000000002" as Address;

/** A loop of KECCAK256 over 32 KiB of memory: every step sees 1,024 words of it. */
export const MEMORY_LOOP = asm("PUSH2 0x8000 PUSH0 MSTORE :top PUSH2 0x8000 PUSH0 KECCAK256 POP PUSH 1 @top JUMPI");
/** A countdown: seven steps a round, a few stack items each. */
const COUNTDOWN = asm("PUSH3 0xffffff :top PUSH 1 SWAP1 SUB DUP1 @top JUMPI STOP");
/** SLOADs of ever new slots: geth's storage capture of each holds every slot seen before it. */
export const SLOAD_LOOP = asm("PUSH0 :top DUP1 SLOAD POP PUSH 1 ADD @top JUMP");

export interface Probe {
  name: string;
  code: Uint8Array;
  gas: bigint;
  trace: TraceRequest;
}

/** The black-box probes of issue 13, run through the service's own tracing path. */
export const PROBES: Probe[] = [
  { name: "enableMemory, limit 800, 32 KiB memory", code: MEMORY_LOOP, gas: 2_000_000n, trace: { type: "opcodes", enableMemory: true, limit: 800 } },
  { name: "enableMemory, no limit, 2M gas", code: MEMORY_LOOP, gas: 2_000_000n, trace: { type: "opcodes", enableMemory: true } },
  { name: "stack steps, 0.5M gas (~140,000 steps)", code: COUNTDOWN, gas: 500_000n, trace: { type: "opcodes" } },
  { name: "storage captures, 0.5M gas", code: SLOAD_LOOP, gas: 500_000n, trace: { type: "opcodes" } },
  { name: "storage captures, 1M gas", code: SLOAD_LOOP, gas: 1_000_000n, trace: { type: "opcodes" } },
  { name: "storage captures, 2M gas", code: SLOAD_LOOP, gas: 2_000_000n, trace: { type: "opcodes" } },
];

export interface ProbeRow {
  name: string;
  outcome: string;
  answerMiB: number;
  /** What the tracers counted (the asked trace and the always-built transfers and access list). */
  countedMiB: number;
  heapMiB: number;
  /** ArrayBuffers (outside V8's heap) held with the trace: the struct log's text. */
  buffersMiB: number;
  ms: number;
}

const block: BlockEnv = { number: 1n, timestamp: 1n, coinbase: "0x3000000000000000000000000000000000000003", gasLimit: 30_000_000n, baseFee: 0n, prevRandao: 0n, excessBlobGas: 0n, chainId: 1n };

/**
 * One probe: the answer's size (its JSON), the heap committed above the idle heap by the time the
 * answer is serialized (V8 keeps what it committed during a synchronous run, so this bounds the
 * peak; needs --expose-gc for a clean baseline), the ArrayBuffers the trace holds then (outside
 * the heap: the struct log's text) and the wall time.
 */
export async function measureProbe(p: Probe): Promise<ProbeRow> {
  const state = new MemoryState();
  state.setAccount(SENDER, { balance: 10n ** 18n });
  state.setAccount(TARGET, { code: p.code });
  const source = Object.assign(state, { load: async (_: Need[]) => {} });
  const tx: Tx = { type: 2, from: SENDER, to: TARGET, nonce: 0n, gasLimit: p.gas, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, value: 0n, data: new Uint8Array(0), accessList: [], blobVersionedHashes: [], authorizationList: [] };
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = getHeapStatistics().total_heap_size;
  const buffersBefore = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  let outcome: string, answer = 0, counted = 0, buffers = 0;
  try {
    const t = await traceRun(source, tx, block, false, limitsOnly(), p.trace);
    const r = t.result;
    outcome = !r.valid ? r.error : r.status === "halted" ? `halted: ${r.haltReason}` : r.status;
    // Sent as the service sends it (a struct log's text was written during the run).
    if (t.trace !== undefined) answer = await answerBytes(jsonAnswer(t.trace));
    counted = t.size.bytes;
    buffers = process.memoryUsage().arrayBuffers - buffersBefore;
  } catch (e) {
    outcome = (e as { code?: string }).code ?? String(e);
  }
  const ms = performance.now() - t0;
  const heap = getHeapStatistics().total_heap_size - before;
  return { name: p.name, outcome, answerMiB: answer / 2 ** 20, countedMiB: counted / 2 ** 20, heapMiB: Math.max(0, heap) / 2 ** 20, buffersMiB: Math.max(0, buffers) / 2 ** 20, ms };
}

async function answerBytes(body: string | ReadableStream<Uint8Array>): Promise<number> {
  if (typeof body === "string") return body.length;
  let n = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) n += chunk.length;
  return n;
}

export async function traceSizes(): Promise<void> {
  console.log(`${"probe".padEnd(42)}${"answer MiB".padStart(12)}${"counted MiB".padStart(13)}${"heap MiB".padStart(10)}${"buffers MiB".padStart(13)}${"ms".padStart(8)}  outcome`);
  for (const p of PROBES) {
    const r = await measureProbe(p);
    console.log(`${r.name.padEnd(42)}${r.answerMiB.toFixed(1).padStart(12)}${r.countedMiB.toFixed(1).padStart(13)}${r.heapMiB.toFixed(0).padStart(10)}${r.buffersMiB.toFixed(1).padStart(13)}${r.ms.toFixed(0).padStart(8)}  ${r.outcome}`);
  }
  console.log(`most memory the process held (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}
