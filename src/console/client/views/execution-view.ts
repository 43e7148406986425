import type { Address, Hex } from "../../../primitives/hex.ts";
import type { Asset } from "../../../trace/assets.ts";
import { h } from "../dom.ts";
import type { AccountDiff, Execution, ShownLog } from "../execution.ts";
import { ether, hexNumber, integer, short, word } from "../format.ts";
import { callTree } from "./call-tree.ts";
import { notice, section, table } from "./table.ts";

const addr = (a: Address) => h("code", { title: a }, short(a));

function assetName(a: Asset): string {
  if (a.type === "native") return "ETH";
  return `${a.type.toUpperCase()} ${short(a.token)}${a.tokenId === undefined ? "" : ` #${a.tokenId}`}`;
}

function amount(a: Asset, value: string): string {
  return a.type === "native" ? ether(value) : value;
}

function signed(a: Asset, change: string) {
  const negative = change.startsWith("-");
  return h("span", { class: negative ? "minus" : "plus" }, `${negative ? "" : "+"}${amount(a, change)}`);
}

function eventCell(l: ShownLog, names: Map<Hex, string>) {
  if (l.decoded === null) {
    if (l.topics[0] === undefined) return "(anonymous)";
    return h("code", { title: l.topics[0] }, names.get(l.topics[0]) ?? short(l.topics[0]));
  }
  const args = Object.entries(l.decoded.args).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(", ")}]` : String(v)}`);
  return h("span", {}, h("strong", {}, `${l.decoded.standard.toUpperCase()} ${l.decoded.event}`), ` (${args.join(", ")})`);
}

const change = (c: { before: Hex; after: Hex } | undefined, show: (v: Hex) => string) => (c === undefined ? "—" : `${show(c.before)} → ${show(c.after)}`);

function accountDiff(d: AccountDiff): HTMLElement {
  return h(
    "article",
    { class: "diff" },
    h("h3", {}, h("code", {}, d.address)),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "balance"), h("dd", {}, change(d.balance, (v) => ether(hexNumber(v)))),
      h("dt", {}, "nonce"), h("dd", {}, change(d.nonce, (v) => String(hexNumber(v)))),
      h("dt", {}, "code"), h("dd", {}, change(d.code, (v) => `${(v.length - 2) / 2} bytes`)),
    ),
    table(`Storage of ${short(d.address)}`, ["slot", "before", "after"], d.storage.map((s) => [s.slot, s.before, s.after].map((w) => h("code", { class: "wrap", title: w }, word(w)))), "unchanged"),
  );
}

/** Every section of one transaction's detail: outcome, call tree, events, transfers, asset changes, state diff, raw JSON. */
export function executionView(e: Execution, names: Map<Hex, string>): HTMLElement {
  const failed = e.error !== undefined;
  return h(
    "div",
    { class: "execution" },
    h(
      "dl",
      { class: "facts summary" },
      h("dt", {}, "outcome"), h("dd", {}, h("span", { class: `status ${e.status}` }, e.status)),
      e.gasUsed !== undefined && [h("dt", {}, "gas used"), h("dd", {}, integer(e.gasUsed))],
      e.createdAddress && [h("dt", {}, "created"), h("dd", {}, h("code", {}, e.createdAddress))],
    ),
    failed && h("p", { class: "notice error revert" }, e.error!.message),
    section("Call tree", e.trace === undefined ? notice("info", "No call tree: the transaction did not execute.") : callTree(e.trace, names)),
    section(
      "Events",
      table("Events emitted", ["#", "contract", "event", "data"], e.logs.map((l, i) => [String(i), addr(l.address), eventCell(l, names), h("code", { class: "wrap" }, l.data)]), failed ? "none emitted (the transaction failed)" : "none emitted"),
    ),
    section("Transfers", table("Token and ether transfers", ["asset", "from", "to", "amount"], e.transfers.map((t) => [assetName(t.asset), addr(t.from), addr(t.to), amount(t.asset, t.amount)]))),
    section("Asset changes", table("Net asset changes", ["address", "asset", "change"], e.assetChanges.map((c) => [addr(c.address), assetName(c.asset), signed(c.asset, c.change)]))),
    section("State diff", e.stateDiff === undefined ? notice("info", "No state diff.") : e.stateDiff.length === 0 ? h("p", { class: "empty" }, "Nothing changed.") : e.stateDiff.map(accountDiff)),
    h("details", { class: "raw" }, h("summary", {}, "Raw JSON"), h("pre", {}, JSON.stringify(e.raw, null, 2))),
  );
}
