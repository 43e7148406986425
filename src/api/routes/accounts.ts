import { Hono } from "hono";
import { bytesToHex, wordToHex } from "../../primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../../primitives/keccak.ts";
import type { AppEnv } from "../app-env.ts";
import { keyed } from "../middleware/keyed.ts";
import { address } from "../schema/fields.ts";
import { parse } from "../schema/parse.ts";
import { slotParam } from "../schema/queries.ts";

/** GET /v1/accounts/{address}[/code | /storage/{slot}]: committed state of the caller's chain. */
export const accountRoutes = new Hono<AppEnv>();

accountRoutes.use("*", keyed("read"));

const addressParam = (raw: string) => parse(address, raw, "the address");

accountRoutes.get("/:address", async (c) => {
  const a = addressParam(c.req.param("address"));
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
  const a = addressParam(c.req.param("address"));
  const r = await c.var.run.chain.load(a, { code: true, slots: [] });
  return c.json({ address: a, code: bytesToHex(r.code ?? new Uint8Array(0)) });
});

accountRoutes.get("/:address/storage/:slot", async (c) => {
  const a = addressParam(c.req.param("address"));
  const slot = parse(slotParam, c.req.param("slot"), "the slot");
  const r = await c.var.run.chain.load(a, { code: false, slots: [`0x${slot.toString(16)}`] });
  return c.json({ address: a, slot: wordToHex(slot), value: wordToHex(BigInt(r.storage[0].value)) });
});
