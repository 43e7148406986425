import { createServer, type Server } from "node:http";

/** What the lying proxy alters in the upstream's answers. */
export type Lie = "none" | "storage" | "balance" | "code" | "header";

export interface Liar {
  url: string;
  lie: Lie;
  /** Answers altered so far. */
  told: number;
  close(): Promise<void>;
  /** Lets the process exit while the proxy still listens (a test run's whole-life proxy). */
  unref(): void;
}

/**
 * A tiny JSON-RPC proxy in front of an upstream that changes one thing in its answers: a slot's
 * value or an account's balance in eth_getProof, one byte of eth_getCode, one field (the
 * timestamp) of a block header, leaving everything else, proofs and hashes included, as the
 * upstream sent it. Its mode is switched by tests (`liar.lie = ...`) or by POST /__lie/<mode>.
 */
export async function startLiar(upstream: string): Promise<Liar> {
  const liar = { lie: "none" as Lie, told: 0 } as Liar;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const m = /^\/__lie\/(\w+)$/.exec(req.url ?? "");
    if (m !== null) {
      liar.lie = m[1] as Lie;
      res.end("ok");
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const up = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answer = await up.json();
    const calls = Array.isArray(body) ? body : [body];
    const answers = Array.isArray(answer) ? answer : [answer];
    for (const a of answers as { id: unknown; result?: any }[]) {
      const call = calls.find((c: { id: unknown }) => c.id === a.id);
      if (call !== undefined && a.result != null && alter(liar.lie, call.method, a)) liar.told++;
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  liar.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  liar.close = () => new Promise((r) => server.close(() => r()));
  liar.unref = () => void server.unref();
  return liar;
}

const bump = (hex: string) => `0x${(BigInt(hex) + 1n).toString(16)}`;

function alter(lie: Lie, method: string, a: { result?: any }): boolean {
  const r = a.result;
  if (lie === "storage" && method === "eth_getProof" && r.storageProof?.length > 0) {
    r.storageProof[0].value = bump(r.storageProof[0].value);
    return true;
  }
  if (lie === "balance" && method === "eth_getProof") {
    r.balance = bump(r.balance);
    return true;
  }
  if (lie === "code" && method === "eth_getCode" && r.length > 2) {
    const i = Math.floor((r.length - 2) / 4) * 2 + 2;
    a.result = r.slice(0, i) + (parseInt(r.slice(i, i + 2), 16) ^ 1).toString(16).padStart(2, "0") + r.slice(i + 2);
    return true;
  }
  if (lie === "header" && (method === "eth_getBlockByNumber" || method === "eth_getBlockByHash")) {
    r.timestamp = bump(r.timestamp);
    return true;
  }
  return false;
}
