import type { Context } from "hono";
import type { ServiceError } from "../exec/errors.ts";
import type { AppEnv } from "./app-env.ts";

/** An error answer: its code and message, and the request's id to quote when asking about it. */
export function refusal(c: Context<AppEnv>, code: string, message: string) {
  c.set("errorCode", code);
  return { error: { code, message, requestId: c.get("requestId") } };
}

/** A REST error answer for `e`, with what the request cost when it ran anything. */
export function refused(c: Context<AppEnv>, e: ServiceError): Response {
  const run = c.get("run");
  return c.json({ ...refusal(c, e.code, e.message), ...(run === undefined ? {} : { cost: run.budget.cost() }) }, e.status, e.headers);
}
