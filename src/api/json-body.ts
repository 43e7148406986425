import type { Context } from "hono";
import { badRequest, tooLarge } from "../exec/errors.ts";
import { readCapped, upTo } from "../primitives/read-capped.ts";

/** Request bodies larger than this are refused (413) before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request's body as text, with a size cap (413 `body_too_large`): refused on the declared
 * length before reading, and while reading (a chunked body declares none), so an oversized body
 * is never held whole. Read as bytes and decoded as UTF-8 whatever the content type says:
 * `curl -d` sends JSON labelled as a form.
 */
export function bodyText(c: Context): Promise<string> {
  return requestText(c.req.raw);
}

/** `bodyText` of a plain Request (the idempotency check reads a clone of the body). */
export async function requestText(req: Request): Promise<string> {
  const tooBig = () => tooLarge("body_too_large", `the body is over ${MAX_BODY_BYTES} bytes`);
  if (Number(req.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) throw tooBig();
  return readCapped(req.body, upTo(MAX_BODY_BYTES), tooBig);
}

/** The request's JSON body (see `bodyText`). */
export async function jsonBody(c: Context): Promise<unknown> {
  return parseJson(await bodyText(c));
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("invalid_json", "the body is not valid JSON");
  }
}
