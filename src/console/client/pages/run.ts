import type { Address, Hex } from "../../../primitives/hex.ts";
import type { CallFrameJson } from "../../../trace/call-tracer.ts";
import type { PrestateAccount } from "../../../trace/prestate-tracer.ts";
import { rest, rpcBatch } from "../api.ts";
import { h, replace } from "../dom.ts";
import { fromSimulated, fromTraces, type SimulatedJson } from "../execution.ts";
import { credit, duration, integer, time } from "../format.ts";
import { knownNames } from "../known-abis.ts";
import { href, navigate } from "../router.ts";
import { recall, remember } from "../session.ts";
import { executionView } from "../views/execution-view.ts";
import { notice, section } from "../views/table.ts";
import type { PageContext } from "./page.ts";
import type { RunJson } from "../wire.ts";
import type { DraftTx } from "./simulate.ts";

type Prestate = { pre: Record<Address, PrestateAccount>; post: Record<Address, PrestateAccount> };

/** A simulation this tab ran, kept by its run id so that its detail can be shown again. */
export interface KeptSimulation {
  results: SimulatedJson[];
  transactions: DraftTx[];
}

/**
 * The call tree and state diff of a committed transaction: debug_traceTransaction replays it
 * from its record (each trace is charged as a simulation), once per tab.
 */
async function traces(txHash: Hex): Promise<{ calls: CallFrameJson; prestate: Prestate }> {
  const kept = recall<{ calls: CallFrameJson; prestate: Prestate }>(`trace:${txHash}`);
  if (kept !== undefined) return kept;
  const [calls, prestate] = (await rpcBatch([
    { method: "debug_traceTransaction", params: [txHash, { tracer: "callTracer", tracerConfig: { withLog: true } }] },
    { method: "debug_traceTransaction", params: [txHash, { tracer: "prestateTracer", tracerConfig: { diffMode: true } }] },
  ])) as [CallFrameJson, Prestate];
  remember(`trace:${txHash}`, { calls, prestate });
  return { calls, prestate };
}

/** The transaction at the top of a call tree, as the simulate form takes it. */
function draftOf(root: CallFrameJson): DraftTx {
  const create = root.type === "CREATE" || root.type === "CREATE2";
  return { from: root.from, to: create ? "" : (root.to ?? ""), value: root.value === undefined ? "" : BigInt(root.value).toString(), data: root.input, gas: BigInt(root.gas).toString() };
}

function resimulate(transactions: DraftTx[]) {
  return h("button", { type: "button", class: "secondary", onclick: () => navigate("/simulate", { transactions }) }, "Re-simulate at the latest state");
}

export async function runPage({ root, params }: PageContext): Promise<void> {
  const id = decodeURIComponent(params[0]);
  replace(root, h("h1", {}, `Run ${id}`), notice("info", "Loading the run…"));
  const run = await rest<RunJson>("GET", `/runs/${encodeURIComponent(id)}`);
  const names = knownNames();
  const facts = h(
    "dl",
    { class: "facts" },
    ([
      ["kind", run.kind], ["status", run.errorCode !== null && run.errorCode !== run.status ? `${run.status} (${run.errorCode})` : run.status],
      ["time", time(run.createdAt)], ["duration", duration(run.durationMs)], ["gas used", `${integer(run.gasUsed)} of ${integer(run.gasLimit)}`],
      ["cost", credit(run.charge)], ["block", integer(run.blockNumber)], ["to", run.to], ["contract created", run.contractAddress],
      ["function", run.selector === null ? null : names.get(run.selector) ?? run.selector], ["transaction", run.txHash],
    ] as [string, string | null][]).filter(([, v]) => v !== null).map(([k, v]) => [h("dt", {}, k), h("dd", {}, /^0x/.test(v!) ? h("code", { class: "wrap" }, v!) : v!)]),
  );
  const detail = h("div", { "aria-live": "polite" });
  replace(root, h("p", {}, h("a", { href: href("/runs") }, "← All runs")), h("h1", {}, `Run ${id}`), facts, detail);

  if (run.txHash !== null) {
    replace(detail, notice("info", "Replaying the transaction for its call tree and state diff…"));
    const t = await traces(run.txHash);
    replace(detail, h("div", { class: "toolbar" }, resimulate([draftOf(t.calls)])), h("p", { class: "hint" }, "Traced by replaying the committed transaction (debug_traceTransaction: call and prestate tracers)."), executionView(fromTraces(t.calls, t.prestate), names));
    return;
  }
  const kept = recall<KeptSimulation>(`sim:${run.id}`);
  if (kept === undefined) {
    replace(detail, notice("info", `A ${run.kind} commits nothing and its input is not stored: only its log row is shown. Simulations made in this tab keep their full detail here.`));
    return;
  }
  replace(detail, h("div", { class: "toolbar" }, resimulate(kept.transactions)), simulationResults(kept.results, names));
}

/** Each transaction of a simulation, in its own section when there are several. */
export function simulationResults(results: SimulatedJson[], names: Map<Hex, string>): HTMLElement {
  if (results.length === 1) return executionView(fromSimulated(results[0]), names);
  return h("div", {}, results.map((r, i) => section(`Transaction ${i + 1} of ${results.length}`, executionView(fromSimulated(r), names))));
}
