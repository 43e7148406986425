import { encodeCall, functions, parseAbi, signature, type AbiEntry } from "../abi.ts";
import { rest } from "../api.ts";
import { h, replace } from "../dom.ts";
import type { SimulatedJson } from "../execution.ts";
import { knownNames, learnAbi } from "../known-abis.ts";
import { href } from "../router.ts";
import { remember } from "../session.ts";
import { notice } from "../views/table.ts";
import type { PageContext } from "./page.ts";
import { simulationResults, type KeptSimulation } from "./run.ts";

/** One transaction of the form, as text fields (how a re-simulation hands it over). */
export interface DraftTx {
  from: string;
  to: string;
  value: string;
  gas: string;
  data: string;
  /** The ABI function the calldata was built from, and its arguments as typed. */
  fn?: string;
  args?: string[];
}

const RAW = "";
let uid = 0;

function input(label: string, name: string, value: string, hint = "") {
  const id = `i${++uid}`;
  return h("div", { class: "field" }, h("label", { for: id }, label), h("input", { id, name, value, placeholder: hint, spellcheck: "false", autocomplete: "off" }));
}

/** The fields of one transaction: addresses, value, gas, and calldata raw or built from the ABI. */
function transactionFields(n: number, draft: DraftTx, abi: () => AbiEntry[], onRemove: (() => void) | undefined) {
  const fnId = `i${++uid}`;
  const fn = h("select", { id: fnId, name: "function" });
  const args = h("div", { class: "args" });
  const dataId = `i${++uid}`;
  const data = h("textarea", { id: dataId, name: "data", rows: 2, spellcheck: "false", placeholder: "0x" }, draft.data);
  const rawBox = h("div", { class: "field wide" }, h("label", { for: dataId }, "Calldata (hex)"), data);
  const fieldset = h(
    "fieldset",
    { class: "tx" },
    h("legend", {}, `Transaction ${n}`),
    input("From (optional)", "from", draft.from, "the key's account"),
    input("To (empty: deploy the calldata)", "to", draft.to, "0x…"),
    input("Value (wei)", "value", draft.value, "0"),
    input("Gas (optional)", "gas", draft.gas, "plan's cap"),
    h("div", { class: "field" }, h("label", { for: fnId }, "Function"), fn),
    args,
    rawBox,
    onRemove && h("button", { type: "button", class: "secondary", onclick: onRemove, "aria-label": `Remove transaction ${n}` }, "Remove"),
  );
  const chosen = () => functions(abi()).find((f) => signature(f) === fn.value);
  const showArgs = (values: string[] = []) => {
    const f = chosen();
    rawBox.hidden = f !== undefined;
    replace(args, (f?.inputs ?? []).map((p, i) => input(`${p.name || `argument ${i + 1}`} (${p.type})`, `arg${i}`, values[i] ?? "", p.type.endsWith("]") ? "[…] as JSON" : p.type)));
  };
  const setAbi = (keep = fn.value, values: string[] = []) => {
    replace(fn, h("option", { value: RAW }, "raw calldata"), functions(abi()).map((f) => h("option", { value: signature(f), selected: signature(f) === keep }, signature(f))));
    showArgs(values);
  };
  fn.addEventListener("change", () => showArgs());
  setAbi(draft.fn, draft.args);
  const value = (name: string) => (fieldset.querySelector(`[name="${name}"]`) as HTMLInputElement).value.trim();
  /** The fields as typed (kept when transactions are added or removed). */
  const draftNow = (): DraftTx => {
    const f = chosen();
    return { from: value("from"), to: value("to"), value: value("value"), gas: value("gas"), data: value("data"), fn: f && signature(f), args: (f?.inputs ?? []).map((_, i) => value(`arg${i}`)) };
  };
  /** The transaction for /v1/simulate, its calldata encoded from the ABI function when one is chosen. */
  const read = () => {
    const d = draftNow(), f = chosen();
    const calldata = f === undefined ? d.data : encodeCall(f, d.args!);
    const tx: Record<string, string> = {};
    for (const k of ["from", "to", "value", "gas"] as const) if (d[k] !== "") tx[k] = d[k];
    if (calldata !== "" && calldata !== "0x") tx.data = calldata;
    return { tx, draft: { ...d, data: calldata } };
  };
  return { el: fieldset, read, draft: draftNow, setAbi: () => setAbi() };
}

function json(text: string, what: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
}

/** A bundle of transactions run in order on the latest state, with overrides: nothing is committed. */
export function simulatePage({ root, state }: PageContext): void {
  const drafts = (state as { transactions?: DraftTx[] } | null)?.transactions ?? [{ from: "", to: "", value: "", gas: "", data: "" }];
  const abiText = h("textarea", { id: "abi", name: "abi", rows: 3, spellcheck: "false", placeholder: "[{\"type\":\"function\",…}]" });
  let abi: AbiEntry[] = [];
  const abiStatus = h("p", { class: "hint", "aria-live": "polite" }, "Optional: encodes calls, names functions in the trace and decodes custom errors.");
  const list = h("div", { class: "txs" });
  let txs: ReturnType<typeof transactionFields>[] = [];
  const draw = (ds: DraftTx[]) => {
    txs = ds.map((d, i) => transactionFields(i + 1, d, () => abi, ds.length > 1 ? () => draw(current().filter((_, j) => j !== i)) : undefined));
    replace(list, txs.map((t) => t.el));
  };
  const current = () => txs.map((t) => t.draft());
  abiText.addEventListener("input", () => {
    try {
      abi = abiText.value.trim() === "" ? [] : parseAbi(abiText.value);
      abiStatus.textContent = `${functions(abi).length} functions in the ABI.`;
    } catch (e) {
      abi = [];
      abiStatus.textContent = `Not an ABI: ${(e as Error).message}`;
    }
    txs.forEach((t) => t.setAbi());
  });
  const overrides = h("textarea", { id: "state-overrides", name: "stateOverrides", rows: 3, spellcheck: "false", placeholder: "{\"0x…\": {\"balance\": \"1000\"}}" });
  const block = h("textarea", { id: "block-overrides", name: "blockOverrides", rows: 2, spellcheck: "false", placeholder: "{\"number\": \"99999999\"}" });
  const result = h("div", { class: "result", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "simulate", onsubmit: (e: Event) => void submit(e) },
    h("div", { class: "field wide" }, h("label", { for: "abi" }, "Contract ABI (JSON)"), abiText, abiStatus),
    list,
    h("div", { class: "toolbar" }, h("button", { type: "button", class: "secondary", onclick: () => draw([...current(), { from: "", to: "", value: "", gas: "", data: "" }]) }, "Add transaction")),
    h(
      "details",
      { class: "overrides" },
      h("summary", {}, "State and block overrides"),
      h("div", { class: "field wide" }, h("label", { for: "state-overrides" }, "State overrides (JSON: address → balance, nonce, code, state or stateDiff)"), overrides),
      h("div", { class: "field wide" }, h("label", { for: "block-overrides" }, "Block overrides (JSON: number, time, baseFee, coinbase, prevRandao, gasLimit)"), block),
    ),
    h("button", { type: "submit" }, "Simulate"),
  );
  async function submit(e: Event) {
    e.preventDefault();
    replace(result, notice("info", "Simulating…"));
    try {
      const read = txs.map((t) => t.read());
      const body = { transactions: read.map((r) => r.tx), stateOverrides: json(overrides.value, "State overrides"), blockOverrides: json(block.value, "Block overrides"), trace: { type: "call", withLog: true }, abi: abi.length > 0 ? abi : undefined };
      const answer = await rest<{ runId: string; results: SimulatedJson[] }>("POST", "/simulate", body);
      if (abi.length > 0) learnAbi(abi);
      remember(`sim:${answer.runId}`, { results: answer.results, transactions: read.map((r) => r.draft) } satisfies KeptSimulation);
      replace(result, h("h2", {}, "Result"), h("p", {}, "Logged as ", h("a", { href: href(`/runs/${answer.runId}`) }, answer.runId), "."), simulationResults(answer.results, knownNames()));
    } catch (err) {
      replace(result, notice("error", (err as Error).message));
    }
  }
  draw(drafts);
  replace(root, h("h1", {}, "Simulate"), form, result);
}
