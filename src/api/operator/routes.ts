import { Hono } from "hono";
import { addCredit, getProject } from "../../db/projects.ts";
import { badRequest, ServiceError } from "../../exec/errors.ts";
import type { AppEnv } from "../app-env.ts";
import { jsonBody } from "../json-body.ts";
import { requireOperator } from "../middleware/operator.ts";
import { object, uint } from "../validate.ts";

/** What only the operator may do: grant credit. Never reachable with a project's API key. */
export const operatorRoutes = new Hono<AppEnv>();

const MAX_GRANT = 1_000_000_000_000_000n;
const PROJECT_ID = /^proj_[0-9a-z_]{1,64}$/;

operatorRoutes.use("*", requireOperator());

operatorRoutes.post("/projects/:id/credit", async (c) => {
  const id = c.req.param("id");
  if (!PROJECT_ID.test(id)) throw new ServiceError(404, "project_not_found", "no project with this id");
  const f = object(await jsonBody(c), ["amount"]);
  const amount = uint(f.amount, "amount");
  if (amount === 0n || amount > MAX_GRANT) throw badRequest("invalid_amount", `amount must be from 1 to ${MAX_GRANT} micro-units`);
  if ((await getProject(c.env.DB, id)) === undefined) throw new ServiceError(404, "project_not_found", "no project with this id");
  await addCredit(c.env.DB, id, null, Number(amount));
  return c.json(await getProject(c.env.DB, id));
});
