import { devWrite, type DevEdit } from "../../exec/dev-write.ts";
import { needScope } from "../../exec/scopes.ts";
import { bigIntToHex, type Hex } from "../../primitives/hex.ts";
import { invalidParams, RpcError, SERVER_ERROR } from "./errors.ts";
import type { Method } from "./execution.ts";
import { address, data, params, quantity } from "./params.ts";

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
  if (ctx.chain.base !== undefined) throw new RpcError(SERVER_ERROR, "development methods write the project's own chain only, not a fork of a network", { code: "unsupported" });
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

export const DEV_METHODS: Record<string, Method> = {
  anvil_setBalance: setBalance,
  hardhat_setBalance: setBalance,
  anvil_setNonce: setNonce,
  hardhat_setNonce: setNonce,
  anvil_setCode: setCode,
  hardhat_setCode: setCode,
  anvil_setStorageAt: setStorageAt,
  hardhat_setStorageAt: setStorageAt,
};
