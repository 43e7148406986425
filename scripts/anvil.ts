import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** Anvil from npm (@foundry-rs/anvil-linux-amd64): a real upstream for fork-mode tests. */
const BIN = fileURLToPath(new URL("../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil", import.meta.url));

export interface Anvil {
  url: string;
  pid: number;
  stop(): void;
  /** Lets the process exit while Anvil runs (it is killed on exit). */
  unref(): void;
}

/** A free loopback port (the OS picks one; it is released before Anvil binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts Anvil on a free loopback port and waits until it answers. */
export async function startAnvil(args: string[] = []): Promise<Anvil> {
  const port = await freePort();
  const hardfork = args.includes("--hardfork") ? [] : ["--hardfork", "prague"];
  const proc: ChildProcess = spawn(BIN, ["--host", "127.0.0.1", "--port", String(port), "--silent", ...hardfork, ...args], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => void proc.kill("SIGKILL");
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }) });
      if (r.ok) return { url, pid: proc.pid!, stop, unref: () => void proc.unref() };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  stop();
  throw new Error("anvil did not start");
}
