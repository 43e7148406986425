/**
 * `npm run project:credit -- --project ID --amount MICRO_UNITS [--url URL]`: the operator grants
 * credit to a project. Only the operator can: the service's `/operator` route takes the
 * OPERATOR_SECRET (environment or `.dev.vars`), never a project key. `--url` defaults to the
 * local `npm run dev` server; give your deployed Worker's URL for production.
 */
import { arg, operatorCall } from "./operator.ts";

const project = arg("project");
const amount = arg("amount");
if (project === undefined || amount === undefined || !/^[1-9][0-9]{0,17}$/.test(amount)) {
  console.error("usage: npm run project:credit -- --project proj_… --amount MICRO_UNITS [--url URL]");
  process.exit(2);
}
const p = await operatorCall(`/projects/${encodeURIComponent(project)}/credit`, { amount });
console.log(`  ${p.id}: credit ${p.credit} micro-units (${p.reserved} reserved)`);
