import { rest } from "../api.ts";
import { fields, h, replace } from "../dom.ts";
import { credit, duration, integer, short, time } from "../format.ts";
import { knownNames } from "../known-abis.ts";
import { href, navigate } from "../router.ts";
import { notice, table } from "../views/table.ts";
import type { RunJson } from "../wire.ts";
import type { PageContext } from "./page.ts";

const KINDS = ["call", "simulate", "send", "deploy"];
const STATUSES = ["success", "reverted", "halted", "invalid", "error"];
const FILTERS = ["kind", "status", "contract"];

function select(name: string, label: string, options: string[], value: string | null) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: `f-${name}` }, label),
    h("select", { id: `f-${name}`, name }, h("option", { value: "" }, "any"), options.map((o) => h("option", { value: o, selected: o === value }, o))),
  );
}

/** The run log, newest first: filters in the URL, one page at a time (cursor in the URL). */
export async function runsPage({ root, query }: PageContext): Promise<void> {
  const filter = new URLSearchParams();
  for (const k of FILTERS) if (query.get(k)) filter.set(k, query.get(k)!);
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter runs", onsubmit: (e: Event) => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const [k, [v]] of fields(e.target as HTMLFormElement)) if (v.trim() !== "") q.set(k, v.trim());
      navigate(`/runs${q.size > 0 ? `?${q}` : ""}`);
    } },
    select("kind", "Kind", KINDS, query.get("kind")),
    select("status", "Status", STATUSES, query.get("status")),
    h("div", { class: "field" }, h("label", { for: "f-contract" }, "Contract"), h("input", { id: "f-contract", name: "contract", value: query.get("contract") ?? "", placeholder: "0x…", spellcheck: "false", pattern: "^0x[0-9a-fA-F]{40}$" })),
    h("button", { type: "submit" }, "Apply filters"),
  );
  const list = h("div", { "aria-live": "polite" }, notice("info", "Loading runs…"));
  replace(root, h("h1", {}, "Runs"), form, list);

  const page = new URLSearchParams(filter);
  page.set("limit", "20");
  if (query.get("cursor")) page.set("cursor", query.get("cursor")!);
  const { runs, nextCursor } = await rest<{ runs: RunJson[]; nextCursor: string | null }>("GET", `/runs?${page}`);
  const names = knownNames();
  const rows = runs.map((r) => [
    h("a", { href: href(`/runs/${r.id}`), "aria-label": `Run ${r.id}, ${r.kind} at ${time(r.createdAt)}` }, time(r.createdAt)),
    r.kind,
    h("span", { class: `status ${r.status}` }, r.errorCode !== null && r.errorCode !== r.status ? `${r.status} (${r.errorCode})` : r.status),
    r.to ?? r.contractAddress ? h("code", { title: (r.to ?? r.contractAddress)! }, short((r.to ?? r.contractAddress)!)) : "—",
    r.selector === null ? "—" : h("code", {}, names.get(r.selector) ?? r.selector),
    integer(r.gasUsed),
    credit(r.charge),
    duration(r.durationMs),
  ]);
  const first = `/runs${filter.size > 0 ? `?${filter}` : ""}`;
  const older = new URLSearchParams(filter);
  if (nextCursor !== null) older.set("cursor", nextCursor);
  replace(
    list,
    table("Runs, newest first", ["time", "kind", "status", "to / contract", "function", "gas used", "cost", "duration"], rows, filter.size > 0 ? "no run matches these filters" : "no runs yet"),
    h(
      "nav",
      { class: "pager", "aria-label": "Pages of runs" },
      query.get("cursor") && h("a", { href: href(first) }, "Newest runs"),
      nextCursor !== null && h("a", { href: href(`/runs?${older}`), rel: "next" }, "Older runs"),
    ),
  );
}
