import { rest } from "../api.ts";
import { h, replace } from "../dom.ts";
import { credit, integer, time } from "../format.ts";
import { href } from "../router.ts";
import { stackedBars, type Bar } from "../views/chart.ts";
import { notice, section, table } from "../views/table.ts";
import type { ProjectJson } from "../wire.ts";
import type { PageContext } from "./page.ts";

interface UsageRow {
  start: string;
  kind: string;
  runs: number;
  gas: number;
  charge: number;
}

const KINDS = ["call", "simulate", "send", "deploy"];
const HOUR = 3_600_000, DAY = 24 * HOUR;

/** One bar per hour (last 24 hours) or per UTC day (last 30 days), empty buckets included. */
function buckets(rows: UsageRow[], from: number, to: number, step: number): Bar[] {
  const bars = new Map<number, Bar>();
  for (let t = Math.floor(from / step) * step; t < to; t += step) bars.set(t, { start: t, values: {} });
  for (const r of rows) {
    const t = Date.parse(r.start);
    const bar = bars.get(t) ?? bars.set(t, { start: t, values: {} }).get(t)!;
    bar.values[r.kind] = (bar.values[r.kind] ?? 0) + r.charge;
  }
  return [...bars.values()].sort((a, b) => a.start - b.start);
}

/** Credit, and charges over time as a chart and per kind. */
export async function usagePage({ root, query }: PageContext): Promise<void> {
  const daily = query.get("range") === "30d";
  replace(root, h("h1", {}, "Usage"), notice("info", "Loading usage…"));
  const to = Date.now(), from = to - (daily ? 30 * DAY : DAY);
  const [project, usage] = await Promise.all([
    rest<ProjectJson>("GET", "/project"),
    rest<{ usage: UsageRow[]; total: { runs: number; gas: number; charge: number } }>("GET", `/usage?granularity=${daily ? "day" : "hour"}&from=${from}&to=${to}`),
  ]);
  const perKind = KINDS.map((k) => usage.usage.filter((r) => r.kind === k).reduce((t, r) => ({ runs: t.runs + r.runs, gas: t.gas + r.gas, charge: t.charge + r.charge }), { runs: 0, gas: 0, charge: 0 }));
  const tick = (t: number) => (daily ? new Date(t).toISOString().slice(0, 10) : time(new Date(t).toISOString()).slice(5, 16));
  const period = daily ? "the last 30 days, per UTC day" : "the last 24 hours, per hour";
  replace(
    root,
    h("h1", {}, "Usage"),
    h(
      "dl",
      { class: "facts summary" },
      h("dt", {}, "project"), h("dd", {}, `${project.name} (${project.id}, chain ${project.chainId})`),
      h("dt", {}, "credit"), h("dd", { class: "big" }, credit(project.credit)),
      h("dt", {}, "reserved by runs under way"), h("dd", {}, credit(project.reserved)),
      h("dt", {}, "limits"), h("dd", {}, `${integer(project.limits.requestsPerMinute)} requests a minute per key; gas per run: ${project.limits.maxGasPerRun === null ? "the service's cap" : integer(project.limits.maxGasPerRun)}`),
    ),
    section(
      "Charges",
      h(
        "nav",
        { class: "pager", "aria-label": "Period" },
        h("a", { href: href("/usage"), "aria-current": daily ? undefined : "page" }, "Last 24 hours"),
        h("a", { href: href("/usage?range=30d"), "aria-current": daily ? "page" : undefined }, "Last 30 days"),
      ),
      stackedBars(buckets(usage.usage, from, to, daily ? DAY : HOUR), KINDS, credit, tick, `Charges over ${period}: ${credit(usage.total.charge)} in ${integer(usage.total.runs)} runs`),
      h("ul", { class: "legend", "aria-label": "Legend" }, KINDS.map((k, i) => h("li", {}, h("span", { class: `swatch series-${i}`, "aria-hidden": "true" }), k))),
    ),
    section(
      "Per kind",
      table(`Runs, gas and charges over ${period}`, ["kind", "runs", "gas", "charge"], [
        ...KINDS.map((k, i) => [k, integer(perKind[i].runs), integer(perKind[i].gas), credit(perKind[i].charge)]),
        [h("strong", {}, "total"), integer(usage.total.runs), integer(usage.total.gas), credit(usage.total.charge)],
      ]),
    ),
  );
}
