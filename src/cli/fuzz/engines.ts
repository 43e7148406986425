import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createBlock } from "@ethereumjs/block";
import { createEVM } from "@ethereumjs/evm";
import { Account, createAddressFromString } from "@ethereumjs/util";
import { Fork } from "../../evm/fork.ts";
import { runTxSync } from "../../evm/run.ts";
import { intrinsicGas } from "../../evm/tx/intrinsic.ts";
import type { Tx } from "../../evm/types.ts";
import { bytesToHex, type Address } from "../../primitives/hex.ts";
import { MemoryState } from "../../state/memory.ts";
import { OTHER, OTHER_CODE, TARGET } from "./generate.ts";

export const CALLER = "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b" as Address;
/** Slots compared after every run, in both contracts (the generator writes slots 0 to 7). */
const SLOTS = [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n];
const TARGET_BALANCE = 10n;

/** What two EVMs must agree on after running the same message. */
export interface Outcome {
  status: "success" | "revert" | "halt";
  output: string;
  /** Execution gas, before refunds, without the intrinsic cost. */
  gas: number;
  logs: string[];
  storage: string[];
}

const BLOCK = { number: 1n, timestamp: 1_700_000_000n, coinbase: "0x0000000000000000000000000000000000000000" as Address, gasLimit: 30_000_000n, baseFee: 0n, prevRandao: 0n, excessBlobGas: 0n, chainId: 1n };

/** Our EVM: the message as a fee-less transaction from CALLER to TARGET (both warm, as in the bench). */
export function runOurs(code: Uint8Array, calldata: Uint8Array, gas: number): Outcome {
  const tx: Tx = { type: 0, from: CALLER, to: TARGET as Address, nonce: 0n, gasLimit: 0n, gasPrice: 0n, value: 0n, data: calldata, accessList: [], blobVersionedHashes: [], authorizationList: [] };
  const { intrinsic } = intrinsicGas(tx, Fork.Prague);
  tx.gasLimit = intrinsic + BigInt(gas);
  const state = new MemoryState();
  state.setAccount(CALLER, { balance: 0n });
  state.setAccount(TARGET as Address, { code, nonce: 1n, balance: TARGET_BALANCE });
  state.setAccount(OTHER as Address, { code: OTHER_CODE, nonce: 1n });
  const r = runTxSync({ source: state, tx, block: BLOCK, fork: Fork.Prague, validate: false });
  if (!r.valid) throw new Error(`ours: invalid: ${r.message}`);
  state.apply(r.changes);
  return {
    status: r.status === "success" ? "success" : r.status === "reverted" ? "revert" : "halt",
    output: bytesToHex(r.output),
    gas: Number(r.gasSpent - intrinsic),
    logs: r.logs.map((l) => `${l.address} ${l.topics.join(",")} ${bytesToHex(l.data)}`),
    storage: [TARGET as Address, OTHER as Address].flatMap((a) => SLOTS.map((s) => `${a}[${s}]=${state.storage(a, s)}`)),
  };
}

/** @ethereumjs/evm 10.1.3 (Prague), the same message through runCall with the same warm set. */
export async function runEjs(code: Uint8Array, calldata: Uint8Array, gas: number): Promise<Outcome> {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Prague });
  const evm = await createEVM({ common });
  // The same block as ours, so that NUMBER, TIMESTAMP, BASEFEE, BLOBBASEFEE and the rest agree.
  const block = createBlock({ header: { number: BLOCK.number, timestamp: BLOCK.timestamp, coinbase: BLOCK.coinbase, gasLimit: BLOCK.gasLimit, baseFeePerGas: BLOCK.baseFee, mixHash: new Uint8Array(32), excessBlobGas: 0n, blobGasUsed: 0n } }, { common });
  const caller = createAddressFromString(CALLER), to = createAddressFromString(TARGET), other = createAddressFromString(OTHER);
  await evm.stateManager.putAccount(caller, new Account());
  await evm.stateManager.putAccount(to, new Account(1n, TARGET_BALANCE));
  await evm.stateManager.putCode(to, code);
  await evm.stateManager.putAccount(other, new Account(1n));
  await evm.stateManager.putCode(other, OTHER_CODE);
  evm.journal.addAlwaysWarmAddress(CALLER);
  evm.journal.addAlwaysWarmAddress(TARGET);
  evm.journal.addAlwaysWarmAddress(BLOCK.coinbase);
  for (let i = 1; i <= 0x11; i++) evm.journal.addAlwaysWarmAddress(`0x${i.toString(16).padStart(40, "0")}`);
  const r = await evm.runCall({ caller, origin: caller, to, data: calldata, gasLimit: BigInt(gas), block });
  const e = r.execResult.exceptionError?.error;
  const storage: string[] = [];
  for (const a of [TARGET, OTHER]) {
    for (const s of SLOTS) {
      const raw = await evm.stateManager.getStorage(createAddressFromString(a), Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? Number(s) : 0)));
      storage.push(`${a}[${s}]=${raw.length === 0 ? 0n : BigInt(bytesToHex(raw))}`);
    }
  }
  return {
    status: e === undefined ? "success" : e === "revert" ? "revert" : "halt",
    output: e !== undefined && e !== "revert" ? "0x" : bytesToHex(r.execResult.returnValue),
    gas: Number(r.execResult.executionGasUsed),
    logs: (r.execResult.logs ?? []).map(([address, topics, data]) => `${bytesToHex(address)} ${topics.map((t) => bytesToHex(t)).join(",")} ${bytesToHex(data)}`),
    storage,
  };
}

/** The first field where two outcomes differ, or undefined. */
export function difference(a: Outcome, b: Outcome): string | undefined {
  if (a.status !== b.status) return `status: ours ${a.status}, ejs ${b.status}`;
  if (a.output !== b.output) return `output: ours ${a.output.slice(0, 80)}, ejs ${b.output.slice(0, 80)}`;
  if (a.gas !== b.gas) return `gas: ours ${a.gas}, ejs ${b.gas}`;
  if (a.logs.join("|") !== b.logs.join("|")) return `logs: ours ${a.logs.length}, ejs ${b.logs.length}`;
  const i = a.storage.findIndex((s, k) => s !== b.storage[k]);
  if (i >= 0) return `storage: ours ${a.storage[i]}, ejs ${b.storage[i]}`;
  return undefined;
}
