import { Hono } from "hono";
import { badRequest } from "../../exec/errors.ts";
import { bytesToHex, wordToHex } from "../../primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.ts";
import type { AppEnv } from "../app-env.ts";
import { keyed } from "../middleware/keyed.ts";
import { address } from "../validate.ts";

/** GET /v1/accounts/{address}[/code | /storage/{slot}]: committed state of the caller's chain. */
export const accountRoutes = new Hono<AppEnv>();

accountRoutes.use("*", keyed("read"));

function slotParam(raw: string): bigint {
  if (!/^(0x[0-9a-fA-F]{1,64}|0|[1-9][0-9]{0,77})$/.test(raw) || BigInt(raw) >= 1n << 256n) {
    throw badRequest("invalid_slot", "the slot must be a 256-bit number, in decimal or 0x hex");
  }
  return BigInt(raw);
}

accountRoutes.get("/:address", async (c) => {
  const a = address(c.req.param("address"), "the address");
  const r = await c.var.run.chain.load(a, { code: true, slots: [] });
  return c.json({
    address: a,
    balance: r.account?.balance ?? "0x0",
    nonce: r.account?.nonce ?? "0x0",
    codeHash: r.account?.codeHash ?? EMPTY_CODE_HASH,
    codeSize: r.code?.length ?? 0,
  });
});

accountRoutes.get("/:address/code", async (c) => {
  const a = address(c.req.param("address"), "the address");
  const r = await c.var.run.chain.load(a, { code: true, slots: [] });
  return c.json({ address: a, code: bytesToHex(r.code ?? new Uint8Array(0)) });
});

accountRoutes.get("/:address/storage/:slot", async (c) => {
  const a = address(c.req.param("address"), "the address");
  const slot = slotParam(c.req.param("slot"));
  const r = await c.var.run.chain.load(a, { code: false, slots: [`0x${slot.toString(16)}`] });
  return c.json({ address: a, slot: wordToHex(slot), value: wordToHex(BigInt(r.storage[0].value)) });
});
