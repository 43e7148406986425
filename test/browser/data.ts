import { encodeFunctionData, type Abi } from "viem";
import { DEV_KEY } from "../../scripts/dev-project.ts";
import Caller from "../contracts/Caller.json";
import Counter from "../contracts/Counter.json";

type Address = `0x${string}`;

/** What the test made through the API, to look for in the console. */
export interface Made {
  counter: Address;
  caller: Address;
  callee: Address;
  payee: Address;
  /** Run ids: Counter.increment() sends, the reverted send, Caller.everything() with value. */
  increments: string[];
  reverted: string;
  everything: string;
}

export const CALLER_ABI = Caller.abi as Abi;
export const PAYEE: Address = "0x00000000000000000000000000000000000000be";

async function api(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const call = (abi: unknown, functionName: string, args: unknown[] = []) => encodeFunctionData({ abi: abi as Abi, functionName, args });

/** Deploys the Counter and the Caller (which deploys its Callee), then sends: two increments, a revert, a call tree moving ether. */
export async function makeData(url: string): Promise<Made> {
  const counter = (await api(url, "POST", "/v1/contracts", { bytecode: Counter.bytecode })).address as Address;
  const increments: string[] = [];
  for (let i = 0; i < 2; i++) increments.push((await api(url, "POST", "/v1/send", { to: counter, data: call(Counter.abi, "increment") })).runId);
  const reverted = (await api(url, "POST", "/v1/send", { to: counter, data: call(Counter.abi, "fail", ["too early"]) })).runId;
  const caller = (await api(url, "POST", "/v1/contracts", { bytecode: Caller.bytecode })).address as Address;
  const callee = `0x${(await api(url, "POST", "/v1/call", { to: caller, data: call(Caller.abi, "callee") })).returnData.slice(26)}` as Address;
  const everything = (await api(url, "POST", "/v1/send", { to: caller, data: call(Caller.abi, "everything", [PAYEE]), value: "5" })).runId;
  await runLogHas(url, [everything, reverted, ...increments], 7);
  return { counter, caller, callee, payee: PAYEE, increments, reverted, everything };
}

/** Waits until the run log (it lags answers by about a second) shows these runs and at least `count` in all. */
async function runLogHas(url: string, ids: string[], count: number): Promise<void> {
  for (const end = Date.now() + 15_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const runs: { id: string }[] = (await api(url, "GET", `/v1/runs?limit=${count}`)).runs;
    if (runs.length >= count && ids.every((id) => runs.some((r) => r.id === id))) return;
  }
  throw new Error("the run log did not catch up in 15 s");
}
