import * as v from "valibot";
import { object, quantity, QUANTITY, upTo } from "./fields.ts";
import { say } from "./parse.ts";

/** The bodies of the operator's routes (/operator/*). */

export const MAX_GRANT = 1_000_000_000_000_000n;

const limits = {
  requestsPerMinute: v.optional(v.pipe(upTo(1_000_000), v.minValue(1, say("invalid_quantity", "requestsPerMinute and retentionDays must be at least 1")))),
  retentionDays: v.optional(v.pipe(upTo(3650), v.minValue(1, say("invalid_quantity", "requestsPerMinute and retentionDays must be at least 1")))),
};

const NAME = say("invalid_name", "name must be 1 to 64 letters, digits, spaces, dots or dashes");
export const projectBody = object(
  {
  id: v.optional(v.string(say("invalid_project_id", "id must be proj_ and up to 40 lowercase letters or digits"))),
  name: v.pipe(v.string(NAME), v.regex(/^[\w .-]{1,64}$/, NAME)),
  credit: v.optional(upTo(Number(MAX_GRANT))),
  chainId: v.optional(upTo(2 ** 48)),
  key: v.optional(v.string(say("invalid_api_key", "key must be sk_<project>_ and 32 to 64 hex digits"))),
  maxGasPerRun: v.optional(upTo(2 ** 40)),
    ...limits,
  },
  undefined,
  undefined,
  { name: NAME },
);

const AMOUNT = say("invalid_amount", `amount must be from 1 to ${MAX_GRANT} micro-units`);
export const creditBody = object({ amount: v.pipe(quantity, v.check((n) => n > 0n && n <= MAX_GRANT, AMOUNT)) }, undefined, undefined, { amount: QUANTITY });

export const limitsBody = object({ maxGasPerRun: v.optional(v.nullable(upTo(2 ** 40))), ...limits });
