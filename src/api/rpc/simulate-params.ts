import type { BlockStateCall, SimAccountOverride, SimBlockOverrides, SimCall } from "../../exec/simulate-blocks.ts";
import type { Address } from "../../primitives/hex.ts";
import { accessListSchema, stateOverridesSchema } from "../schema/overrides.ts";
import { parse } from "../schema/parse.ts";
import { invalidParams, RpcError } from "./errors.ts";
import { address, authorizations, data, hash, object, optionalQuantity } from "./params.ts";

/** Client-side limits of eth_simulateV1 (the specification's -38026 when passed). */
export const SIMULATE_LIMITS = { blocks: 256, calls: 1000 } as const;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as Address;

/** The parsed first param of eth_simulateV1. */
export interface SimulatePayload {
  blocks: BlockStateCall[];
  traceTransfers: boolean;
  validation: boolean;
  returnFullTransactions: boolean;
}

export function simulatePayload(raw: unknown, maxData: number, chainId: bigint): SimulatePayload {
  const payload = object(raw, "the simulation");
  for (const k of Object.keys(payload)) if (!["blockStateCalls", "traceTransfers", "validation", "returnFullTransactions"].includes(k)) throw invalidParams(`unknown field "${k}"`, "unknown_field");
  const bsc = payload.blockStateCalls;
  if (!Array.isArray(bsc) || bsc.length === 0) throw invalidParams("blockStateCalls must be a non-empty array", "invalid_block_state_calls");
  if (bsc.length > SIMULATE_LIMITS.blocks) throw new RpcError(-38026, "too many blocks", { code: "too_many_blocks" });
  let total = 0;
  const blocks = bsc.map((b, i): BlockStateCall => {
    const o = object(b, `blockStateCalls[${i}]`);
    for (const k of Object.keys(o)) if (!["blockOverrides", "stateOverrides", "calls"].includes(k)) throw invalidParams(`unknown field blockStateCalls[${i}].${k}`, "unknown_field");
    const calls = o.calls ?? [];
    if (!Array.isArray(calls)) throw invalidParams(`blockStateCalls[${i}].calls must be an array`);
    total += calls.length;
    if (total > SIMULATE_LIMITS.calls) throw new RpcError(-38026, `a simulation runs at most ${SIMULATE_LIMITS.calls} calls`, { code: "too_many_calls" });
    return {
      blockOverrides: blockOverrides(o.blockOverrides, `blockStateCalls[${i}].blockOverrides`),
      stateOverrides: stateOverrides(o.stateOverrides),
      calls: calls.map((c, j) => simCall(c, `blockStateCalls[${i}].calls[${j}]`, maxData, chainId)),
    };
  });
  const flag = (k: string) => {
    if (payload[k] !== undefined && typeof payload[k] !== "boolean") throw invalidParams(`${k} must be true or false`);
    return payload[k] === true;
  };
  return { blocks, traceTransfers: flag("traceTransfers"), validation: flag("validation"), returnFullTransactions: flag("returnFullTransactions") };
}

const BLOCK_FIELDS = ["number", "time", "gasLimit", "feeRecipient", "prevRandao", "baseFeePerGas", "blobBaseFee", "withdrawals", "beaconRoot"];

function blockOverrides(raw: unknown, where: string): SimBlockOverrides | undefined {
  if (raw === undefined || raw === null) return undefined;
  const b = object(raw, where);
  for (const k of Object.keys(b)) if (!BLOCK_FIELDS.includes(k)) throw invalidParams(`unknown block override "${k}"`, "unknown_field");
  if (b.withdrawals !== undefined && b.withdrawals !== null && (!Array.isArray(b.withdrawals) || b.withdrawals.length > 0)) throw invalidParams(`${where}.withdrawals: withdrawals are not supported here`, "unsupported");
  if (b.beaconRoot !== undefined) throw invalidParams(`${where}.beaconRoot is not supported here`, "unsupported");
  const q = (k: string) => optionalQuantity(b[k], `${where}.${k}`);
  return {
    number: q("number"), time: q("time"), gasLimit: q("gasLimit"), baseFee: q("baseFeePerGas"), blobBaseFee: q("blobBaseFee"),
    coinbase: b.feeRecipient === undefined || b.feeRecipient === null ? undefined : address(b.feeRecipient, `${where}.feeRecipient`),
    prevRandao: b.prevRandao === undefined || b.prevRandao === null ? undefined : BigInt(hash(b.prevRandao, `${where}.prevRandao`)),
  };
}

/** geth's state override set, with `movePrecompileToAddress`. */
function stateOverrides(raw: unknown): Map<Address, SimAccountOverride> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const o = object(raw, "stateOverrides");
  const moves = new Map<string, Address>();
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const fields = { ...object(v, `stateOverrides["${k}"]`) };
    if (fields.movePrecompileToAddress !== undefined && fields.movePrecompileToAddress !== null) moves.set(k, address(fields.movePrecompileToAddress, `stateOverrides["${k}"].movePrecompileToAddress`));
    delete fields.movePrecompileToAddress;
    rest[k] = fields;
  }
  // The REST validators' 400s become -32602 (fromServiceError).
  const parsed = parse(stateOverridesSchema, rest, "stateOverrides");
  const out = new Map<Address, SimAccountOverride>();
  for (const k of Object.keys(o)) {
    const a = address(k, `stateOverrides key "${k}"`);
    out.set(a, { ...parsed.get(a), movePrecompileToAddress: moves.get(k) });
  }
  return out;
}

const CALL_FIELDS = ["from", "to", "gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "maxFeePerBlobGas", "value", "nonce", "input", "data", "accessList", "blobVersionedHashes", "authorizationList", "type", "chainId"];

/**
 * A call of eth_simulateV1 (geth's TransactionArgs): `from` defaults to the zero address, as the
 * specification says; `type` is implied by the fee fields (as geth does); `chainId` must be ours.
 */
function simCall(raw: unknown, where: string, maxData: number, chainId: bigint): SimCall {
  const o = object(raw, where);
  for (const k of Object.keys(o)) if (!CALL_FIELDS.includes(k)) throw invalidParams(`unknown field ${where}.${k}`, "unknown_field");
  if (o.input !== undefined && o.data !== undefined && o.input !== o.data) throw invalidParams(`${where}: input and data differ; send one`);
  const input = o.input ?? o.data;
  const q = (k: string) => optionalQuantity(o[k], `${where}.${k}`);
  const chain = q("chainId");
  if (chain !== undefined && chain !== chainId) throw new RpcError(-32000, `chainId does not match node's (have=${chain}, want=${chainId})`, { code: "wrong_chain_id" });
  const nonce = q("nonce");
  if (nonce !== undefined && nonce >= 1n << 64n) throw invalidParams(`${where}.nonce must be below 2^64`, "invalid_quantity");
  const blobs = o.blobVersionedHashes;
  if (blobs !== undefined && blobs !== null && (!Array.isArray(blobs) || blobs.length > 16)) throw invalidParams(`${where}.blobVersionedHashes must be an array of at most 16 hashes`);
  return {
    from: o.from === undefined || o.from === null ? ZERO_ADDRESS : address(o.from, `${where}.from`),
    to: o.to === undefined || o.to === null ? null : address(o.to, `${where}.to`),
    data: input === undefined || input === null ? new Uint8Array(0) : data(input, `${where}.input`, maxData),
    value: q("value") ?? 0n,
    gas: q("gas"),
    nonce,
    gasPrice: q("gasPrice"),
    maxFeePerGas: q("maxFeePerGas"),
    maxPriorityFeePerGas: q("maxPriorityFeePerGas"),
    maxFeePerBlobGas: q("maxFeePerBlobGas"),
    blobVersionedHashes: blobs === undefined || blobs === null ? undefined : (blobs as unknown[]).map((h, i) => BigInt(hash(h, `${where}.blobVersionedHashes[${i}]`))),
    accessList: o.accessList === undefined || o.accessList === null ? undefined : parse(accessListSchema, o.accessList, `${where}.accessList`),
    authorizationList: authorizations(o.authorizationList, o.to),
  };
}
