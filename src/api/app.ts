import { Hono } from "hono";
import { requireKey, type AppEnv } from "./auth.ts";
import { ApiError } from "./errors.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { executeRoutes } from "./routes/execute.ts";
import { runRoutes } from "./routes/runs.ts";

export const app = new Hono<AppEnv>();

app.get("/", (c) => c.json({ name: "edge-evm", chainId: Number(c.env.CHAIN_ID), docs: "see README.md" }));

app.use("/v1/*", requireKey());
app.route("/v1", executeRoutes);
app.route("/v1/accounts", accountRoutes);
app.route("/v1/runs", runRoutes);

app.notFound((c) => c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));

app.onError((err, c) => {
  if (err instanceof ApiError) return c.json({ error: { code: err.code, message: err.message } }, err.status);
  console.error("unhandled error", err);
  return c.json({ error: { code: "internal_error", message: "internal error; the request changed nothing or was committed whole" } }, 500);
});
