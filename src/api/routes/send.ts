import { sha256 } from "@noble/hashes/sha2.js";
import { Hono, type Context } from "hono";
import type { IdempotencyClaim } from "../../durable/protocol.ts";
import { configOf } from "../../exec/config.ts";
import { badRequest } from "../../exec/errors.ts";
import { runSend, type Committed, type Presenter } from "../../exec/runs.ts";
import type { TxRequest } from "../../exec/tx.ts";
import { bytesToHex } from "../../primitives/hex.ts";
import { admit, bearer } from "../admission.ts";
import type { AppEnv } from "../app-env.ts";
import { bodyText, parseJson } from "../json-body.ts";
import { presentExecution, presentLogs } from "../present.ts";
import { parse } from "../schema/parse.ts";
import { contractsBody, sendBody } from "../schema/transactions.ts";
import { gasOf } from "./call.ts";

/**
 * POST /v1/send and POST /v1/contracts: transactions from the key's account, committed.
 *
 * With `Idempotency-Key`, the first request runs and its answer is stored by the sender's
 * account object in the same transaction as the commit; a replay (same key, method, path and
 * body) gets that answer back with `Idempotent-Replayed: true` and executes nothing. While the
 * first is still running, a replay gets 409 `idempotency_in_progress`; with another body, 400
 * `idempotency_key_reused`. A request that committed nothing frees its key.
 */
export const sendRoutes = new Hono<AppEnv>();

const IDEM_KEY = /^[\x21-\x7e]{1,255}$/;

function idempotencyOf(c: Context<AppEnv>, body: string): IdempotencyClaim | undefined {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return undefined;
  if (!IDEM_KEY.test(key)) throw badRequest("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters");
  return { key, fingerprint: bytesToHex(sha256(new TextEncoder().encode(`${c.req.method} ${c.req.path}\n${body}`))) };
}

/** Admits, sends and answers a REST transaction (`present`: the committed answer, also stored for replays). */
async function send(c: Context<AppEnv>, asked: Omit<TxRequest, "from" | "gas"> & { gas?: bigint }, present: Presenter, body: string) {
  const secret = bearer(c);
  const { gas, gasDefaulted } = gasOf(asked.gas, configOf(c.env).maxGas);
  const idempotency = idempotencyOf(c, body);
  const kind = asked.to === null ? "deploy" : "send";
  const run = await admit(c, { secret, scope: "send", runs: [{ kind, gas, gasDefaulted }], senders: ["key"] });
  const out = await runSend(run, { ...asked, gas: gasDefaulted ? run.config.maxGas : gas }, { idempotency, present });
  if (out.kind === "invalid") throw badRequest(out.invalid.error, out.invalid.message);
  if (out.kind === "replay") return c.json(out.answer.body, out.answer.status as 200, { "idempotent-replayed": "true" });
  const answer = present(out.runId, out);
  return c.json({ ...answer.body, cost: run.budget.cost() }, answer.status as 200);
}

sendRoutes.post("/send", async (c) => {
  const text = await bodyText(c);
  const { to, data, value, gas } = parse(sendBody, parseJson(text));
  const present: Presenter = (runId, out: Committed) => ({ status: 200, body: { runId, txHash: out.hash, from: out.tx.from, blockNumber: Number(out.block.number), ...presentExecution(out.result) } });
  return send(c, { to, data, value: value ?? 0n, gas }, present, text);
});

sendRoutes.post("/contracts", async (c) => {
  const text = await bodyText(c);
  const { bytecode, value, gas } = parse(contractsBody, parseJson(text));
  const present: Presenter = (runId, out: Committed) => {
    const r = out.result;
    const body = { runId, address: r.status === "success" ? (r.createdAddress ?? null) : null, txHash: out.hash, from: out.tx.from, blockNumber: Number(out.block.number), ...presentExecution(r) };
    if (r.status !== "success") return { status: 200, body };
    const { returnData: _code, ...created } = { ...body, logs: presentLogs(r.logs) };
    return { status: 201, body: created };
  };
  return send(c, { to: null, data: bytecode, value: value ?? 0n, gas }, present, text);
});
