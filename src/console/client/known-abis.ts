import type { Hex } from "../../primitives/hex.ts";
import { abiNames, type AbiEntry } from "./abi.ts";
import { recall, remember } from "./session.ts";

/** ABIs pasted in this tab: they name the functions and events of call trees and runs. */
export function knownNames(): Map<Hex, string> {
  return abiNames(recall<AbiEntry[][]>("abis") ?? []);
}

export function learnAbi(abi: AbiEntry[]): void {
  const all = recall<AbiEntry[][]>("abis") ?? [];
  const text = JSON.stringify(abi);
  if (!all.some((a) => JSON.stringify(a) === text)) remember("abis", [...all.slice(-7), abi]);
}
