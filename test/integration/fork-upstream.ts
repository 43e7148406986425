import { startAnvil } from "../../scripts/anvil.ts";
import { startLiar } from "../helpers/liar.ts";

/**
 * The upstream networks of the integration tests, started from the Node side (workerd cannot
 * spawn processes): Anvil on a free loopback port, and the lying proxy in front of it. Their
 * URLs reach the Worker as the NETWORKS / NETWORK_URLS bindings; both stop when vitest exits.
 */
export async function forkUpstreams(): Promise<Record<string, string>> {
  const anvil = await startAnvil();
  const liar = await startLiar(anvil.url);
  process.once("exit", () => anvil.stop());
  process.env.EDGE_EVM_TEST_ANVIL_PID = String(anvil.pid);
  const network = { chainId: 31337, proofs: true, forks: { cancun: 0, prague: 0 } };
  liar.unref();
  anvil.unref();
  return {
    NETWORKS: JSON.stringify({ anvil: network, liar: network }),
    NETWORK_URLS: JSON.stringify({ anvil: [anvil.url], liar: [liar.url] }),
  };
}
