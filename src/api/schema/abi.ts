import type { Abi } from "viem";
import * as v from "valibot";
import { say } from "./parse.ts";

/**
 * A contract's JSON ABI, as a request may give it to decode what a run did: its functions (calls
 * and return values in traces and simulations), events (logs) and errors (reverts). Other entries
 * (constructor, fallback, receive) are accepted and ignored. Parameters may nest tuples
 * (`components`) at most 8 deep.
 */
const MAX_ENTRIES = 1024;
const MAX_PARAMS = 64;
const MAX_DEPTH = 8;
const ABI = "invalid_abi";

/** `uint256`, `bytes32[]`, `tuple[2][]`, `string`: a Solidity ABI type. */
const TYPE = /^(u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)?|address|bool|string|bytes([1-9]|[12][0-9]|3[0-2])?|function|tuple)(\[[0-9]{0,5}\])*$/;
const NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,127}$/;

type Param = { name?: string; type: string; indexed?: boolean; components?: Param[] };

const param: v.GenericSchema<Param> = v.looseObject(
  {
    name: v.optional(v.pipe(v.string(say(ABI, "{field} must be a string")), v.regex(/^[A-Za-z0-9_$]{0,128}$/, say(ABI, "{field} must be an identifier")))),
    type: v.pipe(v.string(say(ABI, "{field} must be an ABI type")), v.regex(TYPE, say(ABI, "{field} must be an ABI type (uint256, address, bytes32[], tuple, ...)"))),
    indexed: v.optional(v.boolean(say(ABI, "{field} must be true or false"))),
    components: v.optional(v.lazy(() => params)),
  },
  say(ABI, "{field} must be an ABI parameter {name, type}"),
);
const params = v.pipe(v.array(param, say(ABI, "{field} must be an array of parameters")), v.maxLength(MAX_PARAMS, say(ABI, `{field} has more than ${MAX_PARAMS} parameters`)));

const named = { name: v.pipe(v.string(say(ABI, "{field} must be a name")), v.regex(NAME, say(ABI, "{field} must be an identifier"))), inputs: params };
const entry = v.variant(
  "type",
  [
    v.looseObject({ type: v.literal("function"), ...named, outputs: v.optional(params) }),
    v.looseObject({ type: v.literal("event"), ...named, anonymous: v.optional(v.boolean()) }),
    v.looseObject({ type: v.literal("error"), ...named }),
    v.looseObject({ type: v.picklist(["constructor", "fallback", "receive"]) }),
  ],
  say(ABI, "{field} must be an ABI entry: type function, event, error, constructor, fallback or receive"),
);

/** How deep a JSON value nests (arrays and objects), counted without recursion. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (typeof x !== "object" || x === null) continue;
    deepest = Math.max(deepest, d);
    if (deepest > limit) return deepest;
    for (const child of Object.values(x)) stack.push([child, d + 1]);
  }
  return deepest;
}

export const abiSchema = v.pipe(
  v.unknown(),
  // entries > entry > inputs > param > components > param ...: two levels per tuple.
  v.check((x) => depthOf(x, 4 + 2 * MAX_DEPTH) <= 4 + 2 * MAX_DEPTH, say(ABI, `{field} nests tuples more than ${MAX_DEPTH} deep`)),
  v.array(entry, say(ABI, `{field} must be a JSON ABI array (at most ${MAX_ENTRIES} entries)`)),
  v.maxLength(MAX_ENTRIES, say(ABI, `{field} must be a JSON ABI array (at most ${MAX_ENTRIES} entries)`)),
  v.transform((entries) => entries.filter((e) => e.type === "function" || e.type === "event" || e.type === "error") as unknown as Abi),
  v.metadata({ description: "a JSON ABI (functions, events, errors) to decode calls, return values, logs and reverts" }),
);
