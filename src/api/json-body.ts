import type { Context } from "hono";
import { badRequest, tooLarge } from "../exec/errors.ts";

/** Request bodies larger than this are refused (413) before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request's body as text, with a size cap (413 `body_too_large`, checked on the declared
 * length before reading). Read as bytes and decoded as UTF-8 whatever the content type says:
 * `curl -d` sends JSON labelled as a form.
 */
export async function bodyText(c: Context): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge("body_too_large", `the body is over ${MAX_BODY_BYTES} bytes`);
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge("body_too_large", `the body is over ${MAX_BODY_BYTES} bytes`);
  return new TextDecoder().decode(bytes);
}

/** The request's JSON body (see `bodyText`). */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await bodyText(c);
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("invalid_json", "the body is not valid JSON");
  }
}
