import { address as addressSchema } from "../schema/fields.ts";
import { accessListSchema, blockOverridesSchema, stateOverridesSchema } from "../schema/overrides.ts";
import { parse } from "../schema/parse.ts";
import type { CallOverrides } from "../../exec/call.ts";
import type { TxRequest } from "../../exec/tx.ts";
import type { Authorization } from "../../evm/types.ts";
import { hexToBytes, type Address, type Hex } from "../../primitives/hex.ts";
import { invalidParams } from "./errors.ts";

/** Readers of JSON-RPC params: Ethereum's hex encodings, strictly. Errors are -32602. */

export function quantity(raw: unknown, what: string): bigint {
  if (typeof raw !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(raw)) throw invalidParams(`${what} must be a hex quantity (0x…)`, "invalid_quantity");
  return BigInt(raw);
}

export function optionalQuantity(raw: unknown, what: string): bigint | undefined {
  return raw === undefined || raw === null ? undefined : quantity(raw, what);
}

export function data(raw: unknown, what: string, maxBytes: number): Uint8Array {
  if (typeof raw !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(raw)) throw invalidParams(`${what} must be 0x-prefixed hex bytes`, "invalid_hex");
  if ((raw.length - 2) / 2 > maxBytes) throw invalidParams(`${what} is over ${maxBytes} bytes`, "too_large");
  return hexToBytes(raw);
}

export function address(raw: unknown, what: string): Address {
  return parse(addressSchema, raw, what);
}

export function hash(raw: unknown, what: string): Hex {
  if (typeof raw !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(raw)) throw invalidParams(`${what} must be a 32-byte hex hash`, "invalid_hash");
  return raw.toLowerCase() as Hex;
}

export function params(raw: unknown, min: number, max: number): unknown[] {
  const p = raw === undefined ? [] : raw;
  if (!Array.isArray(p)) throw invalidParams("params must be an array");
  if (p.length < min || p.length > max) throw invalidParams(min === max ? `expected ${min} params` : `expected ${min} to ${max} params`);
  return p;
}

export function object(raw: unknown, what: string): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw invalidParams(`${what} must be an object`);
  return raw as Record<string, unknown>;
}

/** A block tag: `latest` and its kin, `earliest`, a number, or EIP-1898's {blockNumber}/{blockHash}. */
export type BlockRef = { tag: "latest" } | { number: bigint } | { hash: Hex };

export function blockRef(raw: unknown, what = "block"): BlockRef {
  if (raw === undefined || raw === null || raw === "latest" || raw === "pending" || raw === "safe" || raw === "finalized") return { tag: "latest" };
  if (raw === "earliest") return { number: 0n };
  if (typeof raw === "string") return { number: quantity(raw, what) };
  const o = object(raw, what);
  if (o.blockHash !== undefined) return { hash: hash(o.blockHash, `${what}.blockHash`) };
  if (o.blockNumber !== undefined) return blockRef(o.blockNumber, `${what}.blockNumber`);
  throw invalidParams(`${what} must be a tag, a number, {blockNumber} or {blockHash}`, "invalid_block");
}

/**
 * A transaction call object (geth's TransactionArgs). Fee fields are accepted and ignored: calls
 * and estimates run without fees, as gas costs no ether on these chains.
 */
export function callRequest(raw: unknown, defaultFrom: Address, maxGas: bigint, maxData: number): TxRequest {
  const o = object(raw, "the transaction");
  const input = o.input ?? o.data;
  if (o.input !== undefined && o.data !== undefined && o.input !== o.data) throw invalidParams("input and data differ; send one", "invalid_params");
  const gas = optionalQuantity(o.gas, "gas") ?? maxGas;
  if (gas > maxGas) throw invalidParams(`gas must be at most ${maxGas}`, "gas_limit_too_high");
  const nonce = optionalQuantity(o.nonce, "nonce");
  return {
    from: o.from === undefined || o.from === null ? defaultFrom : address(o.from, "from"),
    to: o.to === undefined || o.to === null ? null : address(o.to, "to"),
    data: input === undefined || input === null ? new Uint8Array(0) : data(input, "input", maxData),
    value: optionalQuantity(o.value, "value") ?? 0n,
    gas,
    nonce: nonce !== undefined && nonce < 1n << 64n ? nonce : undefined,
    accessList: o.accessList === undefined || o.accessList === null ? undefined : parse(accessListSchema, o.accessList, "accessList"),
    authorizationList: authorizations(o.authorizationList, o.to),
  };
}

const MAX_AUTHORIZATIONS = 256;

/**
 * EIP-7702 authorizations of a call or estimate, signed as in a type-4 transaction (viem sends
 * them with eth_estimateGas). Their authorities are recovered by the EVM; a bad signature
 * skips the authorization, as on chain.
 */
export function authorizations(raw: unknown, to: unknown): Authorization[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.length > MAX_AUTHORIZATIONS) throw invalidParams(`authorizationList must be an array of at most ${MAX_AUTHORIZATIONS} authorizations`, "invalid_authorization_list");
  if (raw.length > 0 && (to === undefined || to === null)) throw invalidParams("a transaction with an authorizationList cannot create a contract", "invalid_authorization_list");
  return raw.map((item, i) => {
    const a = object(item, `authorizationList[${i}]`);
    return {
      chainId: quantity(a.chainId, `authorizationList[${i}].chainId`),
      address: address(a.address, `authorizationList[${i}].address`),
      nonce: quantity(a.nonce, `authorizationList[${i}].nonce`),
      yParity: quantity(a.yParity, `authorizationList[${i}].yParity`),
      r: quantity(a.r, `authorizationList[${i}].r`),
      s: quantity(a.s, `authorizationList[${i}].s`),
    };
  });
}

/** geth's state override set and block overrides (feeRecipient, baseFeePerGas, time, ...). */
export function overrides(state: unknown, block: unknown): CallOverrides {
  let blockOverrides;
  if (block !== undefined && block !== null) {
    const b = object(block, "block overrides");
    const known = ["number", "time", "gasLimit", "feeRecipient", "prevRandao", "baseFeePerGas", "coinbase", "baseFee", "random", "difficulty", "blobBaseFee"];
    for (const k of Object.keys(b)) if (!known.includes(k)) throw invalidParams(`unknown block override "${k}"`, "unknown_field");
    const named = { number: b.number, time: b.time, gasLimit: b.gasLimit, coinbase: b.feeRecipient ?? b.coinbase, prevRandao: b.prevRandao ?? b.random, baseFee: b.baseFeePerGas ?? b.baseFee };
    blockOverrides = parse(blockOverridesSchema, named, "blockOverrides");
  }
  return { stateOverrides: state === null || state === undefined ? undefined : parse(stateOverridesSchema, state, "stateOverrides"), blockOverrides };
}
