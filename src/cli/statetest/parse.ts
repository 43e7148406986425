import { hexToBigInt, hexToBytes, toAddress, type Address } from "../../primitives/hex.ts";
import { bytesToBigInt } from "../../primitives/bytes.ts";
import { keccak256 } from "../../primitives/keccak.ts";
import { privateKeyToAddress } from "../../primitives/secp256k1.ts";
import type { AccessListItem, Authorization, BlockEnv, Tx, TxType } from "../../evm/types.ts";
import { MemoryState } from "../../state/memory.ts";
import type { FixtureAccount, FixtureEnv, FixtureTransaction, Indexes, StateTest } from "./fixture.ts";

/** A number as fixtures write it; a few spell out values beyond 256 bits as `0x:bigint 0x…`. */
const big = (hex: string | undefined): bigint => (hex === undefined ? 0n : hexToBigInt(hex.replace(/^0x:bigint /, "")));

const MAX_U64 = (1n << 64n) - 1n;
const MAX_U256 = (1n << 256n) - 1n;

/**
 * A transaction field that does not fit its type in the signed encoding: such a transaction
 * cannot exist on chain, so a test expecting it to be rejected passes without running it.
 */
export class TxFieldError extends Error {
  override name = "StateTest.TxFieldError";
}

/** Which transaction the indexes of a post entry select, typed by the fields it carries. */
export function buildTx(t: FixtureTransaction, indexes: Indexes, chainId: bigint): Tx {
  const accessList = t.accessLists?.[indexes.data] ?? null;
  const type = txType(t, accessList !== null);
  const tx: Tx = {
    type,
    from: t.sender !== undefined && t.sender !== "" ? toAddress(t.sender) : senderOf(t),
    to: t.to === "" ? null : toAddress(t.to),
    nonce: big(t.nonce),
    gasLimit: big(t.gasLimit[indexes.gas]),
    gasPrice: t.gasPrice === undefined ? undefined : big(t.gasPrice),
    maxFeePerGas: t.maxFeePerGas === undefined ? undefined : big(t.maxFeePerGas),
    maxPriorityFeePerGas: t.maxPriorityFeePerGas === undefined ? undefined : big(t.maxPriorityFeePerGas),
    value: big(t.value[indexes.value]),
    data: hexToBytes(t.data[indexes.data]),
    accessList: (accessList ?? []).map(
      (item): AccessListItem => ({ address: toAddress(item.address), storageKeys: item.storageKeys.map(big) }),
    ),
    blobVersionedHashes: (t.blobVersionedHashes ?? []).map(big),
    maxFeePerBlobGas: t.maxFeePerBlobGas === undefined ? undefined : big(t.maxFeePerBlobGas),
    authorizationList: (t.authorizationList ?? []).map(
      (a): Authorization => ({
        chainId: big(a.chainId),
        address: toAddress(a.address),
        nonce: big(a.nonce),
        yParity: big(a.yParity ?? a.v),
        r: big(a.r),
        s: big(a.s),
      }),
    ),
    chainId: type === 0 ? undefined : chainId,
  };
  checkWidths(tx);
  return tx;
}

function checkWidths(tx: Tx): void {
  const words = { value: tx.value, gasPrice: tx.gasPrice, maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, maxFeePerBlobGas: tx.maxFeePerBlobGas };
  for (const [name, v] of Object.entries(words)) {
    if (v !== undefined && v > MAX_U256) throw new TxFieldError(`${name} does not fit in 256 bits`);
  }
  if (tx.nonce > MAX_U64) throw new TxFieldError("nonce does not fit in 64 bits");
  if (tx.gasLimit > MAX_U64) throw new TxFieldError("gas limit does not fit in 64 bits");
}

/** The fixture has no type field: the most specific fee or list field present decides. */
function txType(t: FixtureTransaction, hasAccessList: boolean): TxType {
  if (t.authorizationList !== undefined) return 4;
  if (t.blobVersionedHashes !== undefined) return 3;
  if (t.maxFeePerGas !== undefined) return 2;
  return hasAccessList ? 1 : 0;
}

function senderOf(t: FixtureTransaction): Address {
  if (t.secretKey === undefined) throw new Error("transaction has neither sender nor secretKey");
  return privateKeyToAddress(hexToBytes(t.secretKey));
}

export function chainIdOf(test: StateTest): bigint {
  return test.config?.chainid === undefined ? 1n : big(test.config.chainid);
}

/** The block a state test runs in, with the fixture's blob schedule for `forkName` if it gives one. */
export function buildBlock(test: StateTest, forkName: string): BlockEnv {
  const env: FixtureEnv = test.env;
  const blob = test.config?.blobSchedule?.[forkName];
  return {
    number: big(env.currentNumber),
    timestamp: big(env.currentTimestamp),
    coinbase: toAddress(env.currentCoinbase),
    gasLimit: big(env.currentGasLimit),
    // geth fills London+ tests that omit the base fee with 10.
    baseFee: env.currentBaseFee === undefined ? 10n : big(env.currentBaseFee),
    prevRandao: big(env.currentRandom ?? env.currentDifficulty),
    difficulty: big(env.currentDifficulty),
    excessBlobGas: big(env.currentExcessBlobGas),
    chainId: chainIdOf(test),
    blobBaseFeeUpdateFraction: blob === undefined ? undefined : big(blob.baseFeeUpdateFraction),
    maxBlobsPerBlock: blob === undefined ? undefined : Number(big(blob.max)),
  };
}

/** geth's state-test convention: the hash of block n is keccak256 of n in decimal. */
export function stateTestBlockHash(n: bigint): bigint {
  return bytesToBigInt(keccak256(new TextEncoder().encode(n.toString(10))));
}

export function buildPreState(pre: Record<string, FixtureAccount>): MemoryState {
  const state = new MemoryState();
  for (const [address, account] of Object.entries(pre)) state.setAccount(toAddress(address), parseAccount(account));
  state.blockHashes = stateTestBlockHash;
  return state;
}

export function parseAccount(a: FixtureAccount): { nonce: bigint; balance: bigint; code: Uint8Array; storage: Map<bigint, bigint> } {
  const storage = new Map<bigint, bigint>();
  for (const [slot, value] of Object.entries(a.storage ?? {})) storage.set(big(slot), big(value));
  return { nonce: big(a.nonce), balance: big(a.balance), code: hexToBytes(a.code ?? "0x"), storage };
}
