import { Hono } from "hono";
import { bytesToHex, isAddress, type Address } from "../../primitives/hex.ts";
import { accountStub } from "../../state/do-source.ts";
import type { AppEnv } from "../auth.ts";
import { badRequest } from "../errors.ts";

export const accountRoutes = new Hono<AppEnv>();

function addressParam(raw: string): Address {
  if (!isAddress(raw)) throw badRequest("invalid_address", "the address must be 0x followed by 40 hex digits");
  return raw.toLowerCase() as Address;
}

function slotParam(raw: string): string {
  if (!/^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/.test(raw) || BigInt(raw) >= 1n << 256n) throw badRequest("invalid_slot", "the slot must be a 256-bit number in decimal or 0x hex");
  return `0x${BigInt(raw).toString(16)}`;
}

accountRoutes.get("/:address", async (c) => {
  const a = addressParam(c.req.param("address"));
  const r = await accountStub(c.env, BigInt(c.env.CHAIN_ID), a).load({ code: true, slots: [] });
  return c.json({
    address: a,
    balance: r.account?.balance ?? "0x0",
    nonce: r.account?.nonce ?? "0x0",
    codeHash: r.account?.codeHash ?? "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    codeSize: r.code?.length ?? 0,
  });
});

accountRoutes.get("/:address/code", async (c) => {
  const a = addressParam(c.req.param("address"));
  const r = await accountStub(c.env, BigInt(c.env.CHAIN_ID), a).load({ code: true, slots: [] });
  return c.json({ address: a, code: bytesToHex(r.code ?? new Uint8Array(0)) });
});

accountRoutes.get("/:address/storage/:slot", async (c) => {
  const a = addressParam(c.req.param("address"));
  const slot = slotParam(c.req.param("slot"));
  const r = await accountStub(c.env, BigInt(c.env.CHAIN_ID), a).load({ code: false, slots: [slot] });
  return c.json({ address: a, slot, value: `0x${BigInt(r.storage[0][1]).toString(16).padStart(64, "0")}` });
});
