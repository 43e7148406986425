import type { Hex } from "../../../primitives/hex.ts";
import type { CallFrameJson } from "../../../trace/call-tracer.ts";
import { h } from "../dom.ts";
import { ether, hexNumber, integer, short } from "../format.ts";

/** What a frame called: the function's signature when an ABI names its selector, else the selector. */
function callee(f: CallFrameJson, names: Map<Hex, string>): string {
  if (f.type === "CREATE" || f.type === "CREATE2") return "constructor";
  if (f.input.length < 10) return f.input === "0x" ? "(no data)" : f.input;
  const sel = f.input.slice(0, 10) as Hex;
  return names.get(sel) ?? sel;
}

function outcome(f: CallFrameJson) {
  if (f.error === undefined) return h("span", { class: "status success" }, "ok");
  return h("span", { class: "status failed" }, f.revertReason === undefined ? f.error : `${f.error}: ${f.revertReason}`);
}

function frame(f: CallFrameJson, parentGas: bigint, depth: number, names: Map<Hex, string>): HTMLElement {
  const gas = hexNumber(f.gasUsed), value = hexNumber(f.value);
  const share = parentGas === 0n ? 100 : Number((gas * 1000n) / parentGas) / 10;
  const row = h(
    "summary",
    {},
    h("span", { class: "call-type" }, f.type),
    h("span", { class: "call-route" }, h("span", { title: f.from }, short(f.from)), " → ", f.to === undefined ? "(no contract)" : h("span", { title: f.to }, short(f.to))),
    h("code", { class: "call-fn" }, callee(f, names)),
    value !== 0n && h("span", { class: "call-value" }, ether(value)),
    h("span", { class: "call-gas" }, `${integer(gas)} gas`),
    h("meter", { min: 0, max: 100, value: share, "aria-label": `${share}% of the caller's gas` }),
    outcome(f),
  );
  const body = h(
    "div",
    { class: "call-body" },
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "from"), h("dd", {}, h("code", {}, f.from)),
      h("dt", {}, "to"), h("dd", {}, h("code", {}, f.to ?? "—")),
      h("dt", {}, "gas"), h("dd", {}, `${integer(gas)} used of ${integer(hexNumber(f.gas))}`),
      h("dt", {}, "input"), h("dd", {}, h("code", { class: "wrap" }, f.input)),
      f.output !== undefined && [h("dt", {}, "output"), h("dd", {}, h("code", { class: "wrap" }, f.output))],
    ),
    (f.calls?.length ?? 0) > 0 && h("ul", { role: "group" }, f.calls!.map((c) => h("li", {}, frame(c, gas, depth + 1, names)))),
  );
  return h("details", { class: f.error === undefined ? "call" : "call failed", open: depth === 0, "data-depth": depth }, row, body);
}

/** The call tree, collapsible frame by frame; each frame's gas bar is its share of its caller's gas. */
export function callTree(root: CallFrameJson, names: Map<Hex, string>): HTMLElement {
  const tree = h("div", { class: "call-tree" }, frame(root, hexNumber(root.gasUsed), 0, names));
  const toggle = (open: boolean) => () => tree.querySelectorAll("details").forEach((d) => (d.open = open));
  return h(
    "div",
    {},
    h("div", { class: "toolbar" }, h("button", { type: "button", onclick: toggle(true) }, "Expand all"), h("button", { type: "button", onclick: toggle(false) }, "Collapse all")),
    tree,
  );
}
