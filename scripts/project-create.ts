/**
 * `npm run project:create -- --name NAME [--credit MICRO_UNITS] [--chain-id N] [--url URL]`: the
 * operator creates a project with its own chain and a first API key (scopes read, simulate, send
 * and admin) and prints the key, shown once (only its hash is stored). Goes through the service's
 * `/operator` route with OPERATOR_SECRET; `--url` defaults to the local `npm run dev` server.
 */
import { arg, operatorCall } from "./operator.ts";

const name = arg("name");
if (name === undefined || !/^[\w .-]{1,64}$/.test(name)) {
  console.error("usage: npm run project:create -- --name NAME [--credit MICRO_UNITS] [--chain-id N] [--url URL]");
  process.exit(2);
}
const credit = arg("credit"), chainId = arg("chain-id");
for (const v of [credit, chainId]) {
  if (v !== undefined && !/^[0-9]{1,16}$/.test(v)) {
    console.error("--credit and --chain-id must be whole numbers");
    process.exit(2);
  }
}
const r = await operatorCall("/projects", { name, ...(credit ? { credit } : {}), ...(chainId ? { chainId } : {}) });
console.log(`
  Project: ${name} (${r.project.id}), chain id ${r.project.chainId}, credit ${r.project.credit} micro-units
  Admin API key (shown once): ${r.key}
  Its account: ${r.address}
`);
