import { MAX_IMPERSONATED } from "../../durable/rpc-state-limits.ts";
import { CAPS } from "../../exec/caps.ts";
import type { RunContext } from "../../exec/context.ts";
import { devWrite, type DevEdit } from "../../exec/dev-write.ts";
import { runSend } from "../../exec/runs.ts";
import { needScope } from "../../exec/scopes.ts";
import { bigIntToHex, type Hex } from "../../primitives/hex.ts";
import { invalidParams, LIMIT_EXCEEDED, RpcError, SERVER_ERROR } from "./errors.ts";
import type { Method } from "./execution.ts";
import { address, callRequest, data, params, quantity } from "./params.ts";
import { txInvalidError } from "./tx-errors.ts";

/**
 * The development methods Hardhat and Anvil users script against, under both names: they write
 * an account's state directly on the project's own chain (a network's or a fork's chain is never
 * written this way), with a key of the `dev` scope, admitted and charged as a run each.
 */

const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_CODE = 24_576 * 2;

function word(raw: unknown, what: string): Hex {
  const v = quantity(raw, what);
  if (v > MAX_UINT256) throw invalidParams(`${what} must fit in 32 bytes`);
  return bigIntToHex(v);
}

const dev = (read: (p: unknown[]) => { at: unknown; edit: DevEdit }, count: number): Method => async (ctx, key, raw) => {
  needScope(key, "dev");
  ownChain(ctx);
  const { at, edit } = read(params(raw, count, count));
  return devWrite(ctx, address(at, "address"), edit);
};

const setBalance = dev(([a, v]) => ({ at: a, edit: { balance: BigInt(word(v, "balance")) } }), 2);
const setNonce = dev(([a, v]) => {
  const nonce = quantity(v, "nonce");
  if (nonce >= 1n << 64n) throw invalidParams("nonce must fit in 64 bits");
  return { at: a, edit: { nonce } };
}, 2);
const setCode = dev(([a, c]) => ({ at: a, edit: { code: data(c, "code", MAX_CODE) } }), 2);
const setStorageAt = dev(([a, slot, value]) => {
  // Anvil and Hardhat take the value as a 32-byte word; a quantity is accepted too.
  const v = typeof value === "string" && /^0x[0-9a-fA-F]{64}$/.test(value) ? bigIntToHex(BigInt(value)) : word(value, "value");
  return { at: a, edit: { storage: [[word(slot, "slot"), v]] } };
}, 3);

export const STATE_METHODS: Record<string, Method> = {
  anvil_setBalance: setBalance,
  hardhat_setBalance: setBalance,
  anvil_setNonce: setNonce,
  hardhat_setNonce: setNonce,
  anvil_setCode: setCode,
  hardhat_setCode: setCode,
  anvil_setStorageAt: setStorageAt,
  hardhat_setStorageAt: setStorageAt,
};

const stateOf = (ctx: RunContext) => ctx.env.RPC_STATE.get(ctx.env.RPC_STATE.idFromName(ctx.caller.projectId));

const impersonation = (on: boolean): Method => async (ctx, key, raw) => {
  needScope(key, "dev");
  ownChain(ctx);
  const [a] = params(raw, 1, 1);
  const who = address(a, "address");
  if (!on) await stateOf(ctx).stopImpersonating(who);
  else if (!(await stateOf(ctx).impersonate(who))) throw new RpcError(LIMIT_EXCEEDED, `this project impersonates ${MAX_IMPERSONATED} accounts already: stop some (anvil_stopImpersonatingAccount)`, { code: "too_many_impersonated" });
  return null;
};

/**
 * eth_sendTransaction: an unsigned transaction, committed like a REST send, from the key's own
 * account (as REST sends are), or from an account the project impersonates.
 */
export const sendTransaction: Method = async (ctx, key, raw) => {
  needScope(key, "send");
  const [arg] = params(raw, 1, 1);
  const req = callRequest(arg, ctx.caller.address, ctx.config.maxGas, CAPS.callDataBytes);
  if (req.from !== ctx.caller.address) {
    ownChain(ctx);
    if (!key.scopes.includes("dev") || !(await stateOf(ctx).impersonating(req.from))) {
      throw new RpcError(SERVER_ERROR, `unknown account ${req.from}: sign the transaction (eth_sendRawTransaction), or impersonate the account (anvil_impersonateAccount, with a dev key)`, { code: "unknown_account" });
    }
  }
  const out = await runSend({ ...ctx, caller: { ...ctx.caller, address: req.from } }, { to: req.to, data: req.data, value: req.value, gas: req.gas });
  if (out.kind === "invalid") throw txInvalidError(out.invalid);
  if (out.kind === "replay") throw new RpcError(SERVER_ERROR, "already known", { code: "already_known" });
  return out.hash;
};

function ownChain(ctx: RunContext): void {
  if (ctx.chain.base !== undefined) throw new RpcError(SERVER_ERROR, "development methods write the project's own chain only, not a fork of a network", { code: "unsupported" });
}

export const IMPERSONATION_METHODS: Record<string, Method> = {
  anvil_impersonateAccount: impersonation(true),
  hardhat_impersonateAccount: impersonation(true),
  anvil_stopImpersonatingAccount: impersonation(false),
  hardhat_stopImpersonatingAccount: impersonation(false),
};

export const DEV_METHODS: Record<string, Method> = { ...STATE_METHODS, ...IMPERSONATION_METHODS, eth_sendTransaction: sendTransaction };
