import * as v from "valibot";
import { ServiceError } from "../../exec/errors.ts";

/**
 * Our schemas' messages carry the stable error code: `"<code>: <text>"`, where the text may name
 * `{field}` (where the value sits: `transactions[0].to`, or `stateOverrides key "0x12"` for a bad
 * key of a record), `{path}` (where it sits, keys alike), `{key}` (its own key) and `{parent}`
 * (where its key sits). A code ending in `_too_large` answers 413, any other 400.
 */
export type Message = string | ((issue: v.BaseIssue<unknown>) => string);

export const say = (code: string, text: string): string => `${code}: ${text}`;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `transactions[0].to`, `stateOverrides["0xab…"].nonce`; `root` names the value itself. */
function where(path: readonly { key: unknown }[], root: string | undefined): string {
  let out = root ?? "";
  for (const { key } of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The service error of a schema's first issue. */
export function refusal(issue: v.BaseIssue<unknown>, root?: string): ServiceError {
  const path = (issue.path ?? []) as { key: unknown; origin?: string }[];
  const m = /^([a-z0-9_]+): ([^]*)$/.exec(issue.message);
  if (m === null) return new ServiceError(400, "invalid_body", issue.message);
  const last = path.at(-1);
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 && root === undefined ? "the body" : where(parentPath, root);
  const field = last?.origin === "key" ? `${parent} key ${JSON.stringify(String(last.key))}` : path.length === 0 && root === undefined ? "the body" : where(path, root);
  const text = m[2].replaceAll("{field}", field).replaceAll("{path}", where(path, root)).replaceAll("{key}", String(last?.key ?? root ?? "")).replaceAll("{parent}", parent);
  return new ServiceError(m[1].endsWith("_too_large") ? 413 : 400, m[1], text);
}

/** Validates `input` against `schema`: its output, or the first issue as a service error. */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown, root?: string): v.InferOutput<S> {
  const r = v.safeParse(schema, input, { abortEarly: true });
  if (r.success) return r.output;
  throw refusal(r.issues[0], root);
}
