import { Hono, type Context } from "hono";
import { bytesToHex, type Address } from "../../primitives/hex.ts";
import { logRun, type RunRecord } from "../../db/runs.ts";
import { currentBlock } from "../../exec/block.ts";
import { execute, newSource } from "../../exec/execute.ts";
import { buildTx, transact } from "../../exec/transact.ts";
import type { TxExecuted } from "../../evm/types.ts";
import type { AppEnv } from "../auth.ts";
import { badRequest } from "../errors.ts";
import { address, bytes, objectBody, optionalAddress, quantity, type Body } from "../parse.ts";
import { presentExecution, presentLogs } from "../present.ts";

const MAX_DATA = 128 * 1024;
const MAX_VALUE = (1n << 256n) - 1n;

export const executeRoutes = new Hono<AppEnv>();

async function json(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw badRequest("invalid_json", "the body is not valid JSON");
  }
}

function gasOf(b: Body, max: bigint): bigint {
  return quantity(b, "gas", max) ?? max;
}

function record(c: { var: { key: { id: string; projectId: string } } }, kind: RunRecord["kind"], to: Address | null, data: Uint8Array, gas: bigint, r: TxExecuted | undefined, start: number, block: bigint, txHash: string | null, errorCode?: string): RunRecord {
  return {
    id: crypto.randomUUID(), projectId: c.var.key.projectId, keyId: c.var.key.id, kind, to,
    selector: data.length >= 4 ? bytesToHex(data.subarray(0, 4)) : null, gasLimit: Number(gas), gasUsed: r === undefined ? 0 : Number(r.gasUsed),
    status: r?.status ?? "invalid", errorCode: errorCode ?? (r?.status === "success" ? null : (r?.haltReason ?? (r ? "reverted" : null))),
    durationMs: Date.now() - start, blockNumber: Number(block), txHash,
  };
}

executeRoutes.post("/call", async (c) => {
  const start = Date.now();
  const b = objectBody(await json(c.req.raw), ["to", "data", "from", "value", "gas"]);
  const to = address(b, "to"), data = bytes(b, "data", MAX_DATA, false);
  const from = optionalAddress(b, "from") ?? c.var.key.address;
  const value = quantity(b, "value", MAX_VALUE) ?? 0n, gas = gasOf(b, BigInt(c.env.MAX_GAS));
  const source = newSource(c.env);
  const block = currentBlock(c.env);
  await source.load([{ kind: "account", address: from }]);
  const sender = source.account(from);
  const tx = buildTx({ from, to, data, value, gas }, sender === null || typeof sender === "symbol" ? 0n : sender.nonce);
  const r = await execute(c.env, source, tx, block, false);
  if (!r.valid) throw badRequest(r.error, r.message);
  await logRun(c.env.DB, record(c, "call", to, data, gas, r, start, block.number, null));
  return c.json(presentExecution(r));
});

executeRoutes.post("/simulate", async (c) => {
  const start = Date.now();
  const b = objectBody(await json(c.req.raw), ["transactions"]);
  if (!Array.isArray(b.transactions) || b.transactions.length === 0 || b.transactions.length > 16) throw badRequest("invalid_transactions", "transactions must be an array of 1 to 16 objects");
  const source = newSource(c.env);
  const block = currentBlock(c.env);
  const results = [];
  let gasTotal = 0n;
  for (const raw of b.transactions) {
    const t = objectBody(raw, ["to", "data", "from", "value", "gas"]);
    const to = t.to === undefined ? null : address(t, "to");
    const data = bytes(t, "data", MAX_DATA, false), from = optionalAddress(t, "from") ?? c.var.key.address;
    const value = quantity(t, "value", MAX_VALUE) ?? 0n, gas = gasOf(t, BigInt(c.env.MAX_GAS));
    await source.load([{ kind: "account", address: from }]);
    const sender = source.account(from);
    const tx = buildTx({ from, to, data, value, gas }, sender === null || typeof sender === "symbol" ? 0n : sender.nonce);
    const r = await execute(c.env, source, tx, block, false);
    if (!r.valid) {
      results.push({ status: "invalid", error: { code: r.error, message: r.message } });
      continue;
    }
    const before = new Map<string, unknown>();
    for (const ch of r.changes) before.set(ch.address, { account: source.account(ch.address), storage: [...ch.storage.keys()].map((k) => [k, source.storage(ch.address, k)]) });
    source.overlay(r.changes);
    gasTotal += r.gasUsed;
    results.push({ ...presentExecution(r), createdAddress: r.createdAddress ?? null, stateDiff: stateDiff(r, before) });
  }
  await logRun(c.env.DB, { ...record(c, "simulate", null, new Uint8Array(0), BigInt(c.env.MAX_GAS), undefined, start, block.number, null), gasUsed: Number(gasTotal), status: "success" });
  return c.json({ results });
});

function hexOr0(v: unknown): string {
  return typeof v === "bigint" ? `0x${v.toString(16)}` : "0x0";
}

function stateDiff(r: TxExecuted, before: Map<string, unknown>) {
  return r.changes.map((ch) => {
    const b = before.get(ch.address) as { account: { nonce: bigint; balance: bigint; codeHash: string } | null | symbol; storage: [bigint, unknown][] };
    const acc = b.account !== null && typeof b.account === "object" ? b.account : null;
    return {
      address: ch.address,
      balance: { before: hexOr0(acc?.balance), after: ch.deleted ? "0x0" : hexOr0(ch.balance) },
      nonce: { before: hexOr0(acc?.nonce), after: ch.deleted ? "0x0" : hexOr0(ch.nonce) },
      code: ch.code === undefined ? undefined : { before: acc?.codeHash ?? null, after: ch.codeHash },
      storage: b.storage.map(([k, v]) => ({ slot: hexOr0(k), before: hexOr0(v), after: hexOr0(ch.storage.get(k)) })),
    };
  });
}

async function sendLike(c: Context<AppEnv>, kind: "send" | "deploy") {
  const start = Date.now();
  const b = kind === "deploy" ? objectBody(await json(c.req.raw), ["bytecode", "value", "gas"]) : objectBody(await json(c.req.raw), ["to", "data", "value", "gas"]);
  const to = kind === "deploy" ? null : address(b, "to");
  const data = kind === "deploy" ? bytes(b, "bytecode", 49152) : bytes(b, "data", MAX_DATA, false);
  const value = quantity(b, "value", MAX_VALUE) ?? 0n, gas = gasOf(b, BigInt(c.env.MAX_GAS));
  const out = await transact(c.env, { from: c.var.key.address, to, data, value, gas });
  if ("invalid" in out) {
    const block = currentBlock(c.env);
    await logRun(c.env.DB, record(c, kind, to, data, gas, undefined, start, block.number, null, out.invalid.error));
    throw badRequest(out.invalid.error, out.invalid.message);
  }
  const { result, block, txHash } = out;
  await logRun(c.env.DB, record(c, kind, to ?? result.createdAddress ?? null, data, gas, result, start, block.number, txHash), result.status === "success" ? result.logs : []);
  return { result, block, txHash };
}

executeRoutes.post("/send", async (c) => {
  const idem = c.req.header("idempotency-key");
  if (idem !== undefined) {
    if (idem.length === 0 || idem.length > 200) throw badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 200 characters");
    const prior = await c.env.DB.prepare(`SELECT response FROM idempotency WHERE key_id = ? AND idem_key = ?`).bind(c.var.key.id, idem).first<{ response: string }>();
    if (prior !== null) return c.json(JSON.parse(prior.response));
  }
  const { result, block, txHash } = await sendLike(c, "send");
  const body = { txHash, blockNumber: Number(block.number), ...presentExecution(result) };
  if (idem !== undefined) await c.env.DB.prepare(`INSERT OR IGNORE INTO idempotency (key_id, idem_key, response, created_at) VALUES (?, ?, ?, ?)`).bind(c.var.key.id, idem, JSON.stringify(body), Date.now()).run();
  return c.json(body);
});

executeRoutes.post("/contracts", async (c) => {
  const { result, block, txHash } = await sendLike(c, "deploy");
  if (result.status !== "success") return c.json({ address: null, txHash, blockNumber: Number(block.number), ...presentExecution(result) }, 422);
  return c.json({ address: result.createdAddress, txHash, blockNumber: Number(block.number), status: result.status, gasUsed: Number(result.gasUsed), logs: presentLogs(result.logs) }, 201);
});

