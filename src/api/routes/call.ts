import { Hono } from "hono";
import { configOf } from "../../exec/config.ts";
import { badRequest } from "../../exec/errors.ts";
import { runCall, runSimulate } from "../../exec/runs.ts";
import type { TxRequest } from "../../exec/tx.ts";
import { admit, bearer } from "../admission.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { presentExecution } from "../present.ts";
import { presentSimulated } from "../present-simulation.ts";
import { indexAbi } from "../../trace/abi-decode.ts";
import { parse } from "../schema/parse.ts";
import { jsonAnswer } from "../json-stream.ts";
import { callBody, simulateBody } from "../schema/transactions.ts";

/** POST /v1/call and POST /v1/simulate: executions at the latest state that commit nothing. */
export const callRoutes = new Hono<AppEnv>();

/** A transaction as asked: its gas is the cap when absent (`from` filled in once the key is known). */
type Asked = Omit<TxRequest, "from" | "to" | "value" | "gas"> & { from?: TxRequest["from"]; to?: TxRequest["to"]; value?: bigint; gas?: bigint };

/**
 * The gas limit of a run: the request's, at most the service's cap; the cap when absent
 * (`defaulted`: the plan's own cap replaces it once the key is known).
 */
export function gasOf(asked: bigint | undefined, cap: bigint): { gas: bigint; gasDefaulted: boolean } {
  if (asked === undefined) return { gas: cap, gasDefaulted: true };
  if (asked > cap) throw badRequest("gas_limit_too_high", `gas must be at most ${cap}`);
  return { gas: asked, gasDefaulted: false };
}

/** The request as it runs: from the key's account unless it says otherwise, at the plan's gas cap unless it asked. */
function settled(t: Asked, from: TxRequest["from"], planGas: bigint): TxRequest {
  return { ...t, to: t.to ?? null, value: t.value ?? 0n, from: t.from ?? from, gas: t.gas ?? planGas };
}

callRoutes.post("/call", async (c) => {
  const secret = bearer(c);
  const asked = parse(callBody, await jsonBody(c));
  const { gas, gasDefaulted } = gasOf(asked.gas, configOf(c.env).maxGas);
  const run = await admit(c, { secret, scope: "read", runs: [{ kind: "call", gas, gasDefaulted }] });
  const { runId, result } = await runCall(run, settled(asked, run.caller.address, run.config.maxGas));
  if (!result.valid) throw badRequest(result.error, result.message);
  return c.json({ runId, ...presentExecution(result), cost: run.budget.cost() });
});

callRoutes.post("/simulate", async (c) => {
  const secret = bearer(c);
  const maxGas = configOf(c.env).maxGas;
  const { transactions, abi, ...opts } = parse(simulateBody, await jsonBody(c));
  const first = gasOf(transactions[0].gas, maxGas);
  for (const t of transactions) gasOf(t.gas, maxGas);
  // Admission holds credit for the first transaction; the budget grows as the bundle runs on.
  const run = await admit(c, { secret, scope: "simulate", runs: [{ kind: "simulate", ...first }] });
  for (const t of transactions) gasOf(t.gas, run.config.maxGas);
  const reqs = transactions.map((t) => settled(t, run.caller.address, run.config.maxGas));
  const { runId, results } = await runSimulate(run, reqs, opts);
  const index = abi === undefined ? undefined : indexAbi(abi);
  // Opcode traces are written a slice at a time (jsonAnswer).
  return c.body(jsonAnswer({ runId, results: results.map((s, i) => presentSimulated(s, reqs[i], index)), cost: run.budget.cost() }), 200, { "content-type": "application/json" });
});
