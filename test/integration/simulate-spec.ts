/**
 * The execution-apis eth_simulateV1 fixtures (recorded from geth on the spec's test chain) as
 * test data for our chain. Their chain's head is block 0x36 at time 540 (12 s blocks); ours has
 * a block 0x36 too, 2 s blocks, another chain id, another gas limit and no genesis accounts. So a
 * request is sent at block 0x36 ("latest" there), with its times moved by the difference of the
 * two blocks' times and "future" block tags moved past our latest block; and an answer is
 * compared on what does not depend on the chain (see SET_ASIDE).
 */

export interface Fixture {
  name: string;
  request: { params: unknown[] };
  response: { result?: any[]; error?: { code: number; message: string } };
}

export function parseFixture(name: string, text: string): Fixture {
  const lines = text.split("\n");
  const json = (prefix: string) => JSON.parse(lines.find((l) => l.startsWith(prefix))!.slice(3));
  return { name, request: json(">> "), response: json("<< ") };
}

export const THEIR_HEAD = 0x36n;
const THEIR_HEAD_TIME = 540n;

/** The request for our chain: at block 0x36, times shifted to our block 0x36's, future tags past our latest. */
export function translateRequest(f: Fixture, ourHeadTime: bigint, ourLatest: bigint): unknown[] {
  const [payload, tag] = structuredClone(f.request.params) as [any, unknown];
  for (const b of payload.blockStateCalls ?? []) {
    if (b?.blockOverrides?.time !== undefined) b.blockOverrides.time = hex(BigInt(b.blockOverrides.time) - THEIR_HEAD_TIME + ourHeadTime);
  }
  let ourTag: unknown = tag;
  if (tag === undefined || tag === "latest") ourTag = hex(THEIR_HEAD);
  else if (typeof tag === "string" && tag.startsWith("0x") && BigInt(tag) > THEIR_HEAD) ourTag = hex(ourLatest + BigInt(tag) - THEIR_HEAD);
  return [payload, ourTag];
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

/**
 * Fields that only their chain can have: hashes of blocks and transactions (their chain id is in
 * every transaction, their genesis under every block), the state root (we have no state trie),
 * the size (their numbers, times and chain id are shorter), a default gas limit (theirs 200M with
 * a 50M call cap, ours 60M), the time of a block whose time was not given (12 s steps there).
 */
const SET_ASIDE_BLOCK = new Set(["hash", "parentHash", "stateRoot", "transactionsRoot", "size", "transactions", "calls"]);
const SET_ASIDE_LOG = new Set(["blockHash", "transactionHash", "blockTimestamp"]);
const SET_ASIDE_TX = new Set(["hash", "blockHash", "blockTimestamp", "chainId", "gas"]);

/** Where an answer differs from the fixture's on what does not depend on the chain: one line per difference. */
export function differences(f: Fixture, ours: { result?: any[]; error?: { code: number } }, ourHeadTime: bigint, ourChainId: number): string[] {
  const want = f.response;
  if (want.error !== undefined || ours.error !== undefined) {
    if (want.error?.code === ours.error?.code) return [];
    return [`error: want ${JSON.stringify(want.error ?? null)}, got ${JSON.stringify(ours.error ?? null)}`];
  }
  const out: string[] = [];
  const [payload] = f.request.params as [any];
  const wantBlocks = want.result!, gotBlocks = ours.result!;
  if (wantBlocks.length !== gotBlocks.length) return [`blocks: want ${wantBlocks.length}, got ${gotBlocks.length}`];
  // Which blocks had their time and gas limit given (a gas limit carries on to the next blocks).
  const given = new Map<string, { time: boolean }>();
  for (const b of payload.blockStateCalls) if (b?.blockOverrides?.number !== undefined) given.set(BigInt(b.blockOverrides.number).toString(), { time: b.blockOverrides.time !== undefined });
  const words = wordMap(wantBlocks, gotBlocks, ourChainId);
  let gasLimitGiven = false, numbered = 0n;
  wantBlocks.forEach((w, i) => {
    const g = gotBlocks[i];
    const input = inputOf(payload.blockStateCalls, w.number, numbered);
    if (input !== undefined) numbered = BigInt(w.number);
    gasLimitGiven ||= input?.blockOverrides?.gasLimit !== undefined;
    for (const k of Object.keys(w)) {
      if (SET_ASIDE_BLOCK.has(k)) continue;
      if (k === "gasLimit" && !gasLimitGiven) continue;
      if (k === "timestamp") {
        if (input?.blockOverrides?.time === undefined) continue;
        if (BigInt(g.timestamp) - ourHeadTime !== BigInt(w.timestamp) - THEIR_HEAD_TIME) out.push(`block ${i} timestamp: want head+${BigInt(w.timestamp) - THEIR_HEAD_TIME}, got head+${BigInt(g.timestamp) - ourHeadTime}`);
        continue;
      }
      same(out, `block ${i}.${k}`, w[k], g[k]);
    }
    same(out, `block ${i} transactions`, w.transactions.length, g.transactions.length);
    w.transactions.forEach((t: any, j: number) => {
      if (typeof t === "string") return;
      for (const k of Object.keys(t)) if (!SET_ASIDE_TX.has(k)) same(out, `block ${i} tx ${j}.${k}`, t[k], g.transactions[j]?.[k]);
    });
    same(out, `block ${i} calls`, w.calls.length, g.calls.length);
    w.calls.forEach((c: any, j: number) => {
      const gc = g.calls[j] ?? {};
      for (const k of Object.keys(c)) {
        if (k === "logs") {
          same(out, `block ${i} call ${j} logs`, c.logs.length, gc.logs?.length);
          c.logs.forEach((l: any, m: number) => {
            for (const lk of Object.keys(l)) if (!SET_ASIDE_LOG.has(lk)) same(out, `block ${i} call ${j} log ${m}.${lk}`, l[lk], gc.logs?.[m]?.[lk]);
          });
        } else if (k === "error") {
          same(out, `block ${i} call ${j} error.code`, c.error.code, gc.error?.code);
          if (c.error.data !== undefined) same(out, `block ${i} call ${j} error.data`, c.error.data, gc.error?.data);
        } else if (k === "returnData") sameWords(out, `block ${i} call ${j}.returnData`, c[k], theirs(gc[k], words, gasLimitGiven));
        else same(out, `block ${i} call ${j}.${k}`, c[k], gc[k]);
      }
    });
  });
  return out;
}

const THEIR_CHAIN_ID = 3503995874084926n;
const THEIR_GAS_LIMIT = 0xbebc200n;
const OUR_GAS_LIMIT = 60_000_000n;
const word = (v: bigint | string) => BigInt(v).toString(16).padStart(64, "0");

/** Our 32-byte words that stand for theirs: the chain id, the hashes and times of the same blocks. */
function wordMap(want: any[], got: any[], ourChainId: number): Map<string, string> {
  const m = new Map<string, string>([[word(BigInt(ourChainId)), word(THEIR_CHAIN_ID)]]);
  want.forEach((w, i) => {
    if (got[i] === undefined) return;
    m.set(word(got[i].hash), word(w.hash));
    // A time not given steps by each chain's block time (12 s there, 2 s here).
    m.set(word(got[i].timestamp), word(w.timestamp));
    if (i === 0) m.set(word(got[0].parentHash), word(w.parentHash));
  });
  return m;
}

/** Returned data read with their chain's words for ours (CHAINID, BLOCKHASH, GASLIMIT), word by word. */
function theirs(data: unknown, words: Map<string, string>, gasLimitGiven: boolean): unknown {
  if (typeof data !== "string" || (data.length - 2) % 64 !== 0) return data;
  let out = "0x";
  for (let i = 2; i < data.length; i += 64) {
    const w = data.slice(i, i + 64).toLowerCase();
    out += words.get(w) ?? (!gasLimitGiven && w === word(OUR_GAS_LIMIT) ? word(THEIR_GAS_LIMIT) : w);
  }
  return out;
}

/** The request's block that answer block `number` stands for (undefined for a gap block). */
function inputOf(blocks: any[], number: string, after: bigint): any {
  const n = BigInt(number);
  let next = THEIR_HEAD;
  for (const b of blocks) {
    const bn = b?.blockOverrides?.number !== undefined ? BigInt(b.blockOverrides.number) : next + 1n;
    if (bn === n) return b;
    next = bn;
  }
  void after;
  return undefined;
}

function same(out: string[], where: string, want: unknown, got: unknown): void {
  const norm = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : JSON.stringify(v));
  if (norm(want) !== norm(got)) out.push(`${where}: want ${JSON.stringify(want)?.slice(0, 140)}, got ${JSON.stringify(got)?.slice(0, 140)}`);
}

/** Returned data compared word by word: the first word that differs names the difference. */
function sameWords(out: string[], where: string, want: string, got: unknown): void {
  if (typeof got !== "string" || got.length !== want.length || (want.length - 2) % 64 !== 0) return same(out, where, want, got);
  for (let i = 2; i < want.length; i += 64) {
    const w = want.slice(i, i + 64).toLowerCase(), g = got.slice(i, i + 64).toLowerCase();
    if (w !== g) return void out.push(`${where} word ${(i - 2) / 64}: want 0x${w}, got 0x${g}`);
  }
}
