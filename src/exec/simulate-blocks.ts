import { DEFAULT_FORK, Fork } from "../evm/fork.ts";
import type { Precompile } from "../evm/precompiles/types.ts";
import { GAS_PER_BLOB, targetBlobGas } from "../evm/tx/blob.ts";
import type { AccessListItem, Authorization, BlockEnv, Log, Need, Tx, TxExecuted } from "../evm/types.ts";
import { bigIntToBytes } from "../primitives/bytes.ts";
import { hexToBytes, wordToHex, type Address, type Hex } from "../primitives/hex.ts";
import type { DoStateSource } from "../state/do-source.ts";
import { MOVES_VALUE } from "../trace/assets.ts";
import type { TransferFrameJson } from "../trace/call-tracer.ts";
import type { ReadChain } from "./view.ts";
import { execute, type LoadingSource } from "./execute.ts";
import type { ExecMeter } from "./meter.ts";
import { applyStateOverrides, type AccountOverride, type BlockOverrides } from "./overrides.ts";
import { movePrecompiles, PrecompileMoveError } from "./precompile-moves.ts";
import { readOnly } from "./read-only.ts";
import { assembleBlock, ZERO_HASH, type BlockTx } from "./simulated-block.ts";
import { nextBlocks, SimulateError, type PlannedBlock } from "./simulated-chain.ts";
import { traceMeter, traceRun, type TraceRequest, type TraceResult } from "./trace.ts";
import { encodedTxHash } from "./tx-encoding.ts";
import { txInvalidCode } from "./simulated-errors.ts";

export { SimulateError };

/** A call of eth_simulateV1 (geth's TransactionArgs): unset fields take the spec's defaults. */
export interface SimCall {
  from: Address;
  to: Address | null;
  data: Uint8Array;
  value: bigint;
  /** Unset: what the block has left (and the request's gas budget allows). */
  gas?: bigint;
  /** Unset: the sender's nonce at that point of the simulation. */
  nonce?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  maxFeePerBlobGas?: bigint;
  blobVersionedHashes?: bigint[];
  accessList?: AccessListItem[];
  authorizationList?: Authorization[];
}

export interface SimBlockOverrides extends BlockOverrides {
  blobBaseFee?: bigint;
}

export type SimAccountOverride = AccountOverride & { movePrecompileToAddress?: Address };

/** One simulated block of eth_simulateV1. */
export interface BlockStateCall {
  blockOverrides?: SimBlockOverrides;
  stateOverrides?: Map<Address, SimAccountOverride>;
  calls: SimCall[];
}

export interface SimulatedCall {
  result: TxExecuted;
  tx: Tx;
  hash: Hex;
  /** The call's logs; with traceTransfers, ether movements appear among them as ERC-20-style Transfer logs of 0xeeee…eeee. */
  logs: Log[];
  /** Gas before refunds (and the EIP-7623 floor when higher): geth's maxUsedGas. */
  maxUsedGas: bigint;
  /** Its gas was lowered to what the request's gas budget had left. */
  capped: boolean;
  trace?: TraceResult;
}

export interface SimulatedBlock {
  env: BlockEnv;
  hash: Hex;
  /** The header as eth_getBlockBy* shows it, with `size`. */
  header: Record<string, unknown>;
  calls: SimulatedCall[];
}

export interface SimulateBlocksOptions {
  validation: boolean;
  traceTransfers: boolean;
  trace?: TraceRequest;
  /** The block the simulated chain follows (default: the latest). */
  base?: BlockEnv;
  /** Told the stamp of the latest write to what was read: refuses when the base block is too old for it. */
  readAt?: (lastWriteStamp: number) => void;
  /** The request's gas left: a call's gas is lowered to it (geth's global gas cap). */
  gasLeft?: () => bigint;
  /** The most blocks (gaps included) after the base: -38026 beyond. */
  maxBlocks?: number;
  /** Seconds between simulated blocks whose time is not given: the chain's block time (default: ours). */
  blockTime?: bigint;
}

/** Seconds between simulated blocks on a network, as geth steps them (its `timestampIncrement`). */
export const NETWORK_BLOCK_TIME = 12n;

/** The pseudo-token address eth_simulateV1 uses for ether transfers (ERC-7528). */
export const ETHER_ADDRESS = "0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee" as Address;
const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef" as Hex;

/**
 * eth_simulateV1 as the execution-apis specification defines it: blocks in sequence after the
 * base block on one private overlay (numbers and times increasing, skipped numbers filled with
 * empty blocks), each with its state overrides (precompiles may move) and its calls in order,
 * each call with the gas the block has left unless it names some. Every block is assembled as
 * Ethereum does (tries, bloom, header hash, size), and BLOCKHASH of a simulated block answers
 * its hash. There is no state trie: the state root is zero. Nothing is committed.
 */
export function simulateBlocks(chain: ReadChain, exec: ExecMeter, blocks: BlockStateCall[], opts: SimulateBlocksOptions, meter = exec.trace ?? traceMeter()): Promise<SimulatedBlock[]> {
  const config = exec.config;
  return readOnly(chain, config, async (inner, latest) => {
    const base = opts.base ?? latest;
    const plan = nextBlocks(blocks, base, opts.blockTime ?? config.blockTimeSeconds, opts.maxBlocks ?? 256);
    const source = new SimulatedChainSource(inner);
    const fork = source.fork ?? DEFAULT_FORK;
    let parent: Parent = { env: base, hash: wordToHex(inner.blockHash(base.number) as bigint), gasUsed: base.gasLimit / 2n, blobGasUsed: 0n };
    const out: SimulatedBlock[] = [];
    for (const p of plan) {
      const env = blockEnv(p, parent, fork, opts.validation);
      source.precompiles = await overrideState(inner, fork, p.input?.stateOverrides);
      const calls: SimulatedCall[] = [];
      const txs: BlockTx[] = [];
      let gasUsed = 0n, blobGasUsed = 0n;
      for (const c of p.input?.calls ?? []) {
        const call = await runCall(source, inner, c, env, gasUsed, opts, exec, meter);
        calls.push(call);
        txs.push({ tx: call.tx, success: call.result.status === "success", gasUsed: call.result.gasUsed, logs: call.result.status === "success" ? call.result.logs : [] });
        inner.overlay(call.result.changes);
        gasUsed += call.result.gasUsed;
        blobGasUsed += GAS_PER_BLOB * BigInt(call.tx.blobVersionedHashes.length);
      }
      const block = assembleBlock({ env, fork, parentHash: parent.hash, gasUsed, blobGasUsed, stateRoot: ZERO_HASH }, txs);
      source.hashes.set(env.number, BigInt(block.hash));
      out.push({ env, hash: block.hash, header: block.header, calls });
      parent = { env, hash: block.hash, gasUsed, blobGasUsed };
    }
    opts.readAt?.(inner.lastWriteStamp);
    return out;
  });
}

interface Parent {
  env: BlockEnv;
  hash: Hex;
  gasUsed: bigint;
  blobGasUsed: bigint;
}

/**
 * A simulated block's environment: its number and time, the parent's gas limit and coinbase
 * unless overridden, PREVRANDAO zero, and a base fee of zero (validation off) or EIP-1559's
 * from the parent (validation on; the base block's own gas used is not known here, so the first
 * block keeps its base fee).
 */
function blockEnv(p: PlannedBlock, parent: Parent, fork: Fork, validation: boolean): BlockEnv {
  const o = p.input?.blockOverrides ?? {};
  const excessBlobGas = fork >= Fork.Cancun ? max0(parent.env.excessBlobGas + parent.blobGasUsed - targetBlobGas(fork)) : 0n;
  return {
    number: p.number,
    timestamp: p.time,
    coinbase: o.coinbase ?? parent.env.coinbase,
    gasLimit: o.gasLimit ?? parent.env.gasLimit,
    baseFee: o.baseFee ?? (validation ? nextBaseFee(parent) : 0n),
    prevRandao: o.prevRandao ?? 0n,
    difficulty: 0n,
    excessBlobGas,
    chainId: parent.env.chainId,
    ...(o.blobBaseFee !== undefined ? { blobBaseFee: o.blobBaseFee } : {}),
  };
}

const max0 = (n: bigint) => (n < 0n ? 0n : n);

/** EIP-1559: the base fee after a block that used `gasUsed` of its limit (elasticity 2, change at most 1/8). */
export function nextBaseFee(parent: { env: BlockEnv; gasUsed: bigint }): bigint {
  const target = parent.env.gasLimit / 2n;
  const fee = parent.env.baseFee;
  if (target === 0n || parent.gasUsed === target) return fee;
  if (parent.gasUsed > target) {
    const delta = (fee * (parent.gasUsed - target)) / target / 8n;
    return fee + (delta > 1n ? delta : 1n);
  }
  return max0(fee - (fee * (target - parent.gasUsed)) / target / 8n);
}

/** Lays the block's state overrides over the chain, and answers its precompiles (moved or dropped). */
async function overrideState(inner: DoStateSource, fork: Fork, overrides: Map<Address, SimAccountOverride> | undefined): Promise<ReadonlyMap<Address, Precompile> | undefined> {
  if (overrides === undefined || overrides.size === 0) return undefined;
  const moves = new Map<Address, Address>();
  for (const [a, o] of overrides) if (o.movePrecompileToAddress !== undefined) moves.set(a, o.movePrecompileToAddress);
  let table;
  try {
    table = movePrecompiles(fork, [...overrides.keys()], moves);
  } catch (e) {
    if (e instanceof PrecompileMoveError) throw new SimulateError(e.rpcCode, e.message, e.code);
    throw e;
  }
  // Only what changes the account: an override of nothing but a move leaves the account as stored.
  const state = new Map([...overrides].filter(([, o]) => o.balance !== undefined || o.nonce !== undefined || o.code !== undefined || o.state !== undefined || o.stateDiff !== undefined));
  await applyStateOverrides(inner, state);
  return table;
}

/** One call: its defaults, geth's checks, its execution, its result. */
async function runCall(source: SimulatedChainSource, inner: DoStateSource, c: SimCall, env: BlockEnv, gasUsed: bigint, opts: SimulateBlocksOptions, exec: ExecMeter, meter: ReturnType<typeof traceMeter>): Promise<SimulatedCall> {
  await inner.load([{ kind: "account", address: c.from }]);
  const remaining = env.gasLimit - gasUsed;
  let gas = c.gas ?? remaining;
  if (gas > remaining) throw new SimulateError(-38015, `block gas limit reached: remaining: ${remaining}, required: ${gas}`, "block_gas_limit_reached");
  const left = opts.gasLeft?.();
  const capped = left !== undefined && gas > left;
  if (capped) gas = left;
  const tx = simTx(c, c.nonce ?? inner.info(c.from)?.nonce ?? 0n, gas, env.chainId);
  if (!opts.validation) unvalidatedFeeChecks(c, tx, env);
  const traced = opts.traceTransfers || opts.trace !== undefined;
  const t = traced ? await traceRun(source, tx, env, opts.validation, exec, opts.trace, meter) : undefined;
  const r = t?.result ?? (await execute(source, tx, env, opts.validation, exec));
  if (!r.valid) {
    const code = txInvalidCode(r.error);
    throw new SimulateError(code.rpc, `${code.phrase}${r.message}`, r.error);
  }
  const logs = r.status !== "success" ? [] : opts.traceTransfers && t?.calls !== undefined ? withTransfers(t.calls) : r.logs;
  return { result: r, tx, hash: encodedTxHash(tx), logs, maxUsedGas: r.gasSpent > r.gasUsed ? r.gasSpent : r.gasUsed, capped, trace: t?.trace };
}

/**
 * The transaction a call stands for (geth's ToTransaction): type 4 with authorizations, 3 with
 * blob hashes, 2 by default, 1 or 0 when it names a gas price (0 without an access list).
 */
function simTx(c: SimCall, nonce: bigint, gas: bigint, chainId: bigint): Tx {
  if (c.gasPrice !== undefined && (c.maxFeePerGas !== undefined || c.maxPriorityFeePerGas !== undefined)) {
    throw new SimulateError(-32602, "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified", "invalid_params");
  }
  const type: Tx["type"] = c.gasPrice !== undefined ? (c.accessList !== undefined ? 1 : 0) : c.authorizationList !== undefined ? 4 : c.blobVersionedHashes !== undefined ? 3 : 2;
  if ((type === 3 || type === 4) && c.to === null) throw new SimulateError(-32602, `a type ${type} transaction needs a recipient`, "invalid_params");
  return {
    type, chainId, from: c.from, to: c.to, nonce, gasLimit: gas, value: c.value, data: c.data, accessList: c.accessList ?? [],
    ...(type < 2 ? { gasPrice: c.gasPrice } : { maxFeePerGas: c.maxFeePerGas ?? 0n, maxPriorityFeePerGas: c.maxPriorityFeePerGas ?? 0n }),
    blobVersionedHashes: c.blobVersionedHashes ?? [], maxFeePerBlobGas: type === 3 ? (c.maxFeePerBlobGas ?? 0n) : undefined, authorizationList: c.authorizationList ?? [],
  };
}

/**
 * Validation off, geth still checks fee fields a call names (only all-zero fees skip the
 * checks): the tip must not pass the fee cap, nor the fee cap fall below the block's base fee.
 */
function unvalidatedFeeChecks(c: SimCall, tx: Tx, env: BlockEnv): void {
  const cap = tx.type < 2 ? (tx.gasPrice ?? 0n) : (tx.maxFeePerGas ?? 0n);
  const tip = tx.type < 2 ? cap : (tx.maxPriorityFeePerGas ?? 0n);
  if (cap === 0n && tip === 0n) return;
  if (tip > cap) throw new SimulateError(-32602, `max priority fee per gas higher than max fee per gas: address ${c.from}, maxPriorityFeePerGas: ${tip}, maxFeePerGas: ${cap}`, "priority_fee_above_max_fee");
  if (cap < env.baseFee) throw new SimulateError(-38012, `max fee per gas less than block base fee: address ${c.from}, maxFeePerGas: ${cap}, baseFee: ${env.baseFee}`, "max_fee_below_base_fee");
}

/**
 * The chain as a simulation sees it: the account objects (through the run's overlay), the
 * simulated blocks' hashes for BLOCKHASH, this block's precompiles, and geth's simulation checks.
 */
class SimulatedChainSource implements LoadingSource {
  readonly hashes = new Map<bigint, bigint>();
  precompiles: ReadonlyMap<Address, Precompile> | undefined;
  readonly simulation = true;

  constructor(private readonly inner: DoStateSource) {}

  get fork() {
    return this.inner.fork;
  }

  account(a: Address) {
    return this.inner.account(a);
  }

  code(a: Address) {
    return this.inner.code(a);
  }

  storage(a: Address, slot: bigint) {
    return this.inner.storage(a, slot);
  }

  blockHash(n: bigint) {
    return this.hashes.get(n) ?? this.inner.blockHash(n);
  }

  load(needs: Need[]): Promise<void> {
    return this.inner.load(needs);
  }
}

/** The logs of a call tree in execution order, with a Transfer log of ETHER_ADDRESS wherever ether moved. */
function withTransfers(root: TransferFrameJson): Log[] {
  const out: Log[] = [];
  const word = (a: Address) => `0x${a.slice(2).padStart(64, "0")}` as Hex;
  const walk = (f: TransferFrameJson) => {
    if (f.error !== undefined) return;
    const value = f.value === undefined ? 0n : BigInt(f.value);
    if (value !== 0n && MOVES_VALUE.has(f.type) && f.to !== undefined) out.push({ address: ETHER_ADDRESS, topics: [TRANSFER_TOPIC, word(f.from), word(f.to)], data: bigIntToBytes(value, 32) });
    const calls = f.calls ?? [];
    const logs = f.logs ?? [];
    let li = 0;
    for (let ci = 0; ci <= calls.length; ci++) {
      while (li < logs.length && Number(logs[li].position) === ci) {
        const l = logs[li++];
        out.push({ address: l.address, topics: l.topics, data: hexToBytes(l.data) });
      }
      if (ci < calls.length) walk(calls[ci]);
    }
  };
  walk(root);
  return out;
}
