import { Hono } from "hono";
import type { AppEnv } from "../api/app-env.ts";

/**
 * The console's files are static assets (src/console/public), served before the Worker runs.
 * A path under /console/ that is no file (a page such as /console/runs/run_…) reaches the
 * Worker: it answers with the console's page, whose script then draws that path.
 */
export const consoleRoutes = new Hono<AppEnv>();

consoleRoutes.get("/*", (c) => c.env.ASSETS.fetch(new URL("/console/", c.req.url)));
