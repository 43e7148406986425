import type { Context } from "hono";
import type { AppEnv } from "./app-env.ts";

/** An error answer: its code and message, and the request's id to quote when asking about it. */
export function refusal(c: Context<AppEnv>, code: string, message: string) {
  c.set("errorCode", code);
  return { error: { code, message, requestId: c.get("requestId") } };
}
