import { h, type Child } from "../dom.ts";

/** A table in a scrolling box (wide tables scroll inside it, never the page), with a caption. */
export function table(caption: string, head: string[], rows: Child[][], empty = "None."): HTMLElement {
  if (rows.length === 0) return h("p", { class: "empty" }, `${caption}: ${empty}`);
  return h(
    "div",
    { class: "scroll", role: "region", "aria-label": caption, tabindex: 0 },
    h(
      "table",
      {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))),
    ),
  );
}

let sections = 0;

export function section(title: string, ...children: Child[]): HTMLElement {
  const id = `s${++sections}`;
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), children);
}

/** A message in place of content: an error the API answered, or what is missing. */
export function notice(kind: "error" | "info", text: string): HTMLElement {
  return h("p", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}
