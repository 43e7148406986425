import { Hono } from "hono";
import { CAPS } from "../../exec/caps.ts";
import { badRequest } from "../../exec/errors.ts";
import { runSend } from "../../exec/runs.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { idempotent } from "../middleware/idempotency.ts";
import { presentExecution, presentLogs } from "../present.ts";
import { bytes, gas, object, optionalUint, requiredAddress } from "../validate.ts";

/** POST /v1/send and POST /v1/contracts: transactions from the key's account, committed. */
export const sendRoutes = new Hono<AppEnv>();

sendRoutes.post("/send", idempotent(), async (c) => {
  const run = c.var.run;
  const f = object(await jsonBody(c), ["to", "data", "value", "gas"]);
  const req = {
    to: requiredAddress(f, "to"),
    data: bytes(f, "data", CAPS.callDataBytes, { required: false, tooLargeCode: "calldata_too_large" }),
    value: optionalUint(f, "value") ?? 0n,
    gas: gas(f, run.config.maxGas),
  };
  const out = await runSend(run, req);
  if (!out.committed) throw badRequest(out.invalid.error, out.invalid.message);
  return c.json({ runId: out.runId, txHash: out.hash, from: c.var.key.address, blockNumber: Number(out.block.number), ...presentExecution(out.result) });
});

sendRoutes.post("/contracts", idempotent(), async (c) => {
  const run = c.var.run;
  const f = object(await jsonBody(c), ["bytecode", "value", "gas"]);
  const req = {
    to: null,
    data: bytes(f, "bytecode", CAPS.initCodeBytes, { required: true, tooLargeCode: "init_code_too_large" }),
    value: optionalUint(f, "value") ?? 0n,
    gas: gas(f, run.config.maxGas),
  };
  const out = await runSend(run, req);
  if (!out.committed) throw badRequest(out.invalid.error, out.invalid.message);
  const r = out.result;
  const body = { runId: out.runId, address: r.status === "success" ? (r.createdAddress ?? null) : null, txHash: out.hash, from: c.var.key.address, blockNumber: Number(out.block.number), ...presentExecution(r) };
  if (r.status !== "success") return c.json(body);
  const { returnData: _code, ...created } = { ...body, logs: presentLogs(r.logs) };
  return c.json(created, 201);
});
