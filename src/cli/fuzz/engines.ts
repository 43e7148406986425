import { createBlock } from "@ethereumjs/block";
import { Common, Hardfork, Mainnet, type CustomCrypto } from "@ethereumjs/common";
import { createEVM } from "@ethereumjs/evm";
import { Account, createAddressFromString } from "@ethereumjs/util";
import { Fork } from "../../evm/fork.ts";
import { runTxSync } from "../../evm/run.ts";
import { precompileAddresses } from "../../evm/precompiles/index.ts";
import { intrinsicGas } from "../../evm/tx/intrinsic.ts";
import type { Tx } from "../../evm/types.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import { pointEvaluation } from "../../evm/precompiles/0a-point-evaluation.ts";
import { bytesToHex, hexToBytes, type Address, type Hex } from "../../primitives/hex.ts";
import { MemoryState } from "../../state/memory.ts";
import { OTHER, OTHER_CODE, portable, TARGET } from "./generate.ts";
import { canonicalWorld, logLine, type DumpedAccount, type Outcome } from "./outcome.ts";

export const CALLER = "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b" as Address;
const TARGET_BALANCE = 10n;
/** Values in OTHER's storage before the run, so that SSTORE refunds and clears happen. */
const OTHER_STORAGE = new Map([[1n, 7n], [2n, 5n]]);

const BLOCK = { number: 1n, timestamp: 1_700_000_000n, coinbase: "0x0000000000000000000000000000000000000000" as Address, gasLimit: 30_000_000n, baseFee: 0n, prevRandao: 0n, difficulty: 0x20000n, excessBlobGas: 0n, chainId: 1n };
const HARDFORK: Record<Fork, Hardfork> = {
  [Fork.Frontier]: Hardfork.Chainstart, [Fork.Homestead]: Hardfork.Homestead, [Fork.TangerineWhistle]: Hardfork.TangerineWhistle,
  [Fork.SpuriousDragon]: Hardfork.SpuriousDragon, [Fork.Byzantium]: Hardfork.Byzantium, [Fork.Constantinople]: Hardfork.Constantinople,
  [Fork.Petersburg]: Hardfork.Petersburg, [Fork.Istanbul]: Hardfork.Istanbul, [Fork.Berlin]: Hardfork.Berlin, [Fork.London]: Hardfork.London,
  [Fork.Paris]: Hardfork.Paris, [Fork.Shanghai]: Hardfork.Shanghai, [Fork.Cancun]: Hardfork.Cancun, [Fork.Prague]: Hardfork.Prague, [Fork.Osaka]: Hardfork.Osaka,
};

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const otherCode = (fork: Fork) => Uint8Array.from(portable(OTHER_CODE, fork));

/** The transaction, with `gas` for execution or more when the EIP-7623 calldata floor asks for more. */
function txFor(calldata: Uint8Array, gas: number, fork: Fork): { tx: Tx; intrinsic: bigint; execGas: bigint } {
  const tx: Tx = { type: 0, from: CALLER, to: TARGET as Address, nonce: 0n, gasLimit: 0n, gasPrice: 0n, value: 0n, data: calldata, accessList: [], blobVersionedHashes: [], authorizationList: [] };
  const { intrinsic, floor } = intrinsicGas(tx, fork);
  tx.gasLimit = intrinsic + BigInt(gas) > floor ? intrinsic + BigInt(gas) : floor;
  return { tx, intrinsic, execGas: tx.gasLimit - intrinsic };
}

/** Our EVM: the message as a fee-less transaction from CALLER to TARGET. */
export function runOurs(code: Uint8Array, calldata: Uint8Array, gas: number, fork: Fork): Outcome {
  const { tx, intrinsic } = txFor(calldata, gas, fork);
  const state = new MemoryState();
  state.setAccount(CALLER, { balance: 0n });
  state.setAccount(TARGET as Address, { code, nonce: 1n, balance: TARGET_BALANCE });
  state.setAccount(OTHER as Address, { code: otherCode(fork), nonce: 1n, storage: OTHER_STORAGE });
  const r = runTxSync({ source: state, tx, block: BLOCK, fork, validate: false });
  if (!r.valid) throw new Error(`ours: invalid: ${r.message}`);
  state.apply(r.changes);
  const dump: DumpedAccount[] = [...state.accounts].map(([address, a]) => ({ address, balance: a.balance, nonce: a.nonce, codeHash: a.codeHash, storage: [...a.storage] }));
  return {
    status: r.status === "success" ? "success" : r.status === "reverted" ? "revert" : "halt",
    output: bytesToHex(r.output),
    gas: Number(r.gasSpent - intrinsic),
    refund: Number(r.gasRefunded),
    logs: r.logs.map((l) => logLine(l.address, l.topics, l.data)),
    ...canonicalWorld(dump),
  };
}

/**
 * ethereumjs needs a KZG backend for point evaluation (0x0a) and ships none. Its precompile checks
 * gas, length and the versioned hash itself, then asks `verifyProof`; ours answers that last
 * question (so only the steps before it are compared independently).
 */
const KZG = {
  verifyProof(commitment: string, z: string, y: string, proof: string): boolean {
    const hash = sha256(hexToBytes(commitment));
    hash[0] = 0x01;
    return pointEvaluation(hexToBytes(bytesToHex(hash) + z.slice(2) + y.slice(2) + commitment.slice(2) + proof.slice(2)), 50_000, Fork.Osaka) !== null;
  },
} as unknown as NonNullable<CustomCrypto["kzg"]>;

/** The state maps of ethereumjs's default SimpleStateManager, read to dump the whole world. */
interface SimpleStacks {
  topAccountStack(): Map<string, Account | undefined>;
  topStorageStack(): Map<string, Uint8Array>;
}

function dumpEjs(sm: SimpleStacks): DumpedAccount[] {
  const storage = new Map<string, [bigint, bigint][]>();
  for (const [key, value] of sm.topStorageStack()) {
    const [address, slot] = key.split("_");
    storage.set(address, [...(storage.get(address) ?? []), [BigInt(slot), value.length === 0 ? 0n : BigInt(bytesToHex(value))]]);
  }
  return [...sm.topAccountStack()].flatMap(([address, a]) => (a === undefined ? [] : [{ address, balance: a.balance, nonce: a.nonce, codeHash: bytesToHex(a.codeHash) as Hex, storage: storage.get(address) ?? [] }]));
}

/**
 * @ethereumjs/evm 10.1.3, the same transaction through runCall (which bumps the caller's nonce
 * as a transaction does) with the same warm set, then what its VM does after a transaction:
 * accounts self-destructed in the transaction that created them are deleted (EIP-6780), touched
 * empty accounts removed (EIP-161).
 */
export async function runEjs(code: Uint8Array, calldata: Uint8Array, gas: number, fork: Fork): Promise<Outcome> {
  const common = new Common({ chain: Mainnet, hardfork: HARDFORK[fork], customCrypto: { kzg: KZG } });
  const evm = await createEVM({ common });
  // The same block as ours, so that NUMBER, TIMESTAMP, BASEFEE, BLOBBASEFEE and the rest agree;
  // each header field only from the fork that has it.
  const header = {
    number: BLOCK.number, timestamp: BLOCK.timestamp, coinbase: BLOCK.coinbase, gasLimit: BLOCK.gasLimit, mixHash: new Uint8Array(32),
    ...(fork < Fork.Paris ? { difficulty: BLOCK.difficulty } : {}),
    ...(fork >= Fork.London ? { baseFeePerGas: BLOCK.baseFee } : {}),
    ...(fork >= Fork.Cancun ? { excessBlobGas: 0n, blobGasUsed: 0n } : {}),
  };
  const block = createBlock({ header }, { common });
  const caller = createAddressFromString(CALLER), to = createAddressFromString(TARGET), other = createAddressFromString(OTHER);
  await evm.stateManager.putAccount(caller, new Account());
  await evm.stateManager.putAccount(to, new Account(1n, TARGET_BALANCE));
  await evm.stateManager.putCode(to, code);
  await evm.stateManager.putAccount(other, new Account(1n));
  await evm.stateManager.putCode(other, otherCode(fork));
  for (const [slot, value] of OTHER_STORAGE) await evm.stateManager.putStorage(other, Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? Number(slot) : 0)), Uint8Array.of(Number(value)));
  const { intrinsic, execGas } = txFor(calldata, gas, fork);
  for (const a of [CALLER, TARGET, ...(fork >= Fork.Shanghai ? [BLOCK.coinbase] : []), ...precompileAddresses(fork)]) evm.journal.addAlwaysWarmAddress(a);
  const r = await evm.runCall({ caller, origin: caller, to, data: calldata, gasLimit: execGas, block });
  const x = r.execResult;
  // Before EIP-6780 (Cancun) every self-destructed account goes.
  for (const address of x.selfdestruct?.keys() ?? []) if (fork < Fork.Cancun || x.createdAddresses?.has(address)) await evm.journal.deleteAccount(createAddressFromString(address));
  await evm.journal.cleanup();
  const e = x.exceptionError?.error;
  const spent = intrinsic + x.executionGasUsed;
  return {
    status: e === undefined ? "success" : e === "revert" ? "revert" : "halt",
    output: e !== undefined && e !== "revert" ? "0x" : bytesToHex(x.returnValue),
    gas: Number(x.executionGasUsed),
    refund: Number(min(x.gasRefund ?? 0n, spent / (fork >= Fork.London ? 5n : 2n))),
    logs: (x.logs ?? []).map(([address, topics, data]) => logLine(bytesToHex(address), topics.map((t) => bytesToHex(t)), data)),
    ...canonicalWorld(dumpEjs(evm.stateManager as unknown as SimpleStacks)),
  };
}
