import { forkFromName, type Fork } from "../evm/fork.ts";
import { ServiceError } from "../exec/errors.ts";
import type { Network } from "./network.ts";

/** Ethereum's hardforks in order; a network's schedule names the ones it activated and when. */
const ORDER = [
  "frontier", "homestead", "dao", "tangerinewhistle", "spuriousdragon", "byzantium", "constantinople", "petersburg", "istanbul", "muirglacier",
  "berlin", "london", "arrowglacier", "grayglacier", "paris", "shanghai", "cancun", "prague", "osaka", "amsterdam",
];

/**
 * The EVM rules of a block: the last hardfork of the network's schedule active at its number and
 * timestamp. A block whose fork this EVM does not implement is refused (`fork_not_supported`)
 * rather than run with the wrong rules. The EVM knows forks by name (`forkFromName`), so each fork
 * it learns is picked up here without a change.
 */
export function forkOfBlock(network: Network, number: bigint, timestamp: bigint): Fork {
  let active: string | undefined;
  for (const name of ORDER) {
    const at = network.forks[name];
    if (at === undefined) continue;
    const on = typeof at === "number" ? timestamp >= BigInt(at) : number >= BigInt(at.block);
    if (on) active = name;
  }
  const fork = active === undefined ? undefined : forkFromName(active);
  if (fork === undefined) {
    const which = active === undefined ? "a fork before any in its schedule" : active;
    throw new ServiceError(400, "fork_not_supported", `block ${number} of ${network.name} runs ${which}, which this EVM does not implement; pick a later block`);
  }
  return fork;
}
