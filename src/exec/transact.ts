import type { Env } from "../env.ts";
import type { Address } from "../primitives/hex.ts";
import { bigIntToHex, bytesToHex } from "../primitives/hex.ts";
import { keccak256 } from "../primitives/keccak.ts";
import { rlpEncode, rlpUint } from "../primitives/rlp.ts";
import { hexToBytes } from "../primitives/hex.ts";
import type { BlockEnv, Tx, TxExecuted, TxResult } from "../evm/types.ts";
import { ApiError } from "../api/errors.ts";
import { currentBlock } from "./block.ts";
import { commit } from "./commit.ts";
import { execute, newSource } from "./execute.ts";
import { accountStub } from "../state/do-source.ts";

/** Re-executions on conflict: hot contracts see many concurrent writers. */
const MAX_ATTEMPTS = 200;

export interface TxRequest {
  from: Address;
  to: Address | null;
  data: Uint8Array;
  value: bigint;
  gas: bigint;
}

export interface Committed {
  result: TxExecuted;
  block: BlockEnv;
  txHash: string;
}

/** A transaction with the sender's current nonce and no fee (gas is metered per key instead). */
export function buildTx(req: TxRequest, nonce: bigint): Tx {
  return {
    type: 2, from: req.from, to: req.to, nonce, gasLimit: req.gas, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n,
    value: req.value, data: req.data, accessList: [], blobVersionedHashes: [], authorizationList: [],
  };
}

export function txHash(chainId: bigint, tx: Tx): string {
  return bytesToHex(keccak256(rlpEncode([rlpUint(chainId), hexToBytes(tx.from), rlpUint(tx.nonce), tx.to === null ? new Uint8Array(0) : hexToBytes(tx.to), rlpUint(tx.value), tx.data])));
}

/**
 * Executes and commits a transaction, re-executing on conflict (optimistic concurrency) with a
 * jittered back-off. An invalid transaction (e.g. insufficient funds) commits nothing.
 */
export async function transact(env: Env, req: TxRequest): Promise<Committed | { invalid: TxResult & { valid: false } }> {
  const chainId = BigInt(env.CHAIN_ID);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const source = newSource(env);
    const block = currentBlock(env);
    await source.load([{ kind: "account", address: req.from }]);
    const sender = source.account(req.from);
    const tx = buildTx(req, sender === null || typeof sender === "symbol" ? 0n : sender.nonce);
    const result = await execute(env, source, tx, block, true);
    if (!result.valid) return { invalid: result };
    const hash = txHash(chainId, tx);
    if (await commit(env, chainId, `${hash}:${crypto.randomUUID()}`, source.participants(result.changes, [block.coinbase]))) {
      return { result, block, txHash: hash };
    }
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5))));
  }
  throw new ApiError(409, "conflict", "the state kept changing under this transaction; retry it");
}

/** Credits `amount` wei to an account once (the development faucet of a new key's account). */
export async function credit(env: Env, address: Address, amount: bigint): Promise<void> {
  const chainId = BigInt(env.CHAIN_ID);
  const stub = accountStub(env, chainId, address);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = await stub.load({ code: false, slots: [] });
    const a = now.account;
    const expect = { account: a === null ? null : { nonce: a.nonce, balance: a.balance, codeHash: a.codeHash }, storage: [] };
    const fields = {
      nonce: a?.nonce ?? "0x0",
      balance: bigIntToHex(BigInt(a?.balance ?? "0x0") + amount),
      codeHash: a?.codeHash ?? "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    };
    const r = await stub.commit(crypto.randomUUID(), expect, { deleted: false, fields, storageReset: false, storage: [] });
    if (r.ok) return;
  }
  throw new ApiError(409, "conflict", "could not fund the account; retry");
}
