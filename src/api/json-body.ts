import type { Context } from "hono";
import { badRequest, tooLarge } from "../exec/errors.ts";

/** Request bodies larger than this are refused (413) before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The request's JSON body, read with a size cap. */
export async function jsonBody(c: Context): Promise<unknown> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge("body_too_large", `the body is over ${MAX_BODY_BYTES} bytes`);
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge("body_too_large", `the body is over ${MAX_BODY_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("invalid_json", "the body is not valid JSON");
  }
}
