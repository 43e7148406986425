import { Hono } from "hono";
import { ServiceError } from "../exec/errors.ts";
import { InjectedFault } from "../exec/faults.ts";
import type { AppEnv } from "./app-env.ts";
import { corsForApi } from "./middleware/cors.ts";
import { settleAfter } from "./middleware/keyed.ts";
import { observe } from "./middleware/observe.ts";
import { refusal, refused } from "./refusal.ts";
import { openApiDocument } from "./openapi.ts";
import { operatorRoutes } from "./operator/routes.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { callRoutes } from "./routes/call.ts";
import { forkRoutes } from "./routes/forks.ts";
import { networkRpcRoutes } from "./routes/network-rpc.ts";
import { networkRoutes } from "./routes/networks.ts";
import { projectRoutes } from "./routes/project.ts";
import { rpcRoutes } from "./routes/rpc.ts";
import { runRoutes } from "./routes/runs.ts";
import { sendRoutes } from "./routes/send.ts";
import { consoleRoutes } from "../console/routes.ts";
import { errorFields, logEvent } from "../primitives/log.ts";

export const app = new Hono<AppEnv>();

// First: every answer gets its request id and every request its log line.
app.use("*", observe());

app.get("/", (c) => c.json({ name: "edge-evm", api: "/v1", openapi: "/openapi.json", docs: "README.md" }));
app.get("/openapi.json", (c) => c.json(openApiDocument()));

// Credit is the operator's to grant (src/api/operator): refused to every project key, whatever its scopes.
app.post("/v1/project/credit", () => {
  throw new ServiceError(403, "operator_only", "credit is granted by the operator only (npm run project:credit); no API key may add credit");
});
// Browser dapps call /rpc and /v1 from their own origins (preflights answered before admission).
app.use("/v1/*", corsForApi());
app.use("/rpc/*", corsForApi());
app.use("/rpc", corsForApi());
// Each route admits its request (key, scope, rate, credit) in one round trip to the project's
// ledger; what ran is settled after the answer.
app.use("/v1/*", settleAfter());
app.route("/v1", sendRoutes);
app.route("/v1", callRoutes);
app.route("/v1/networks", networkRoutes);
app.route("/v1/forks", forkRoutes);
app.route("/v1/accounts", accountRoutes);
app.route("/v1/runs", runRoutes);
app.route("/v1", projectRoutes);
app.route("/rpc", rpcRoutes);
app.route("/rpc", networkRpcRoutes);
app.route("/operator", operatorRoutes);
app.route("/console", consoleRoutes);

/** A path fit for messages: the key of `/rpc/<key>` is never repeated. */
function shown(path: string): string {
  return path.replace(/^\/rpc\/[^/]+/, "/rpc/<key>");
}

app.notFound((c) => c.json(refusal(c, "not_found", `no route for ${c.req.method} ${shown(c.req.path)}`), 404));

app.onError((err, c) => {
  if (err instanceof ServiceError) return refused(c, err);
  const fields = { requestId: c.get("requestId"), projectId: c.get("key")?.projectId, method: c.req.method, route: c.req.routePath };
  if (err instanceof InjectedFault) logEvent("warn", "injected_fault", { ...fields, error: err.message });
  else logEvent("error", "internal_error", { ...fields, ...errorFields(err) });
  return c.json(refusal(c, "internal_error", "internal error: the request committed whole or not at all; retry it"), 500);
});
