/**
 * Verified upstream values are immutable for their key: an account under a state root, a slot
 * under a storage root, code under its hash, a header under its hash, a whole answer under the
 * hash of (network, block, request). They are kept in two layers: this isolate's memory (a
 * repeated run in the same isolate reads nothing from anywhere) and the Cache API of the colo
 * (shared by every isolate and Durable Object there). Only checked values are ever put.
 */
export interface ContentCache {
  getMany(keys: string[]): Promise<Map<string, string>>;
  put(entries: [key: string, value: string][], ttlSeconds?: number): void;
}

const MEMORY_ENTRIES = 50_000;
const IMMUTABLE_TTL = 30 * 24 * 3600;
const ORIGIN = "https://fork-cache.edge-evm.internal/";

/** This isolate's layer, shared by every request it serves (least recently used out first). */
const memory = new Map<string, { value: string; until: number }>();

export class LayeredCache implements ContentCache {
  /** Lookups answered, by layer: what a benchmark reads to tell warm from cold. */
  readonly hits = { memory: 0, edge: 0 };

  /** `defer` keeps an edge write alive after the answer (ExecutionContext.waitUntil). */
  constructor(private readonly defer: (p: Promise<unknown>) => void = (p) => void p.catch(() => {})) {}

  async getMany(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const now = Date.now();
    const rest: string[] = [];
    for (const k of keys) {
      const m = memory.get(k);
      if (m !== undefined && m.until > now) {
        memory.delete(k);
        memory.set(k, m);
        out.set(k, m.value);
        this.hits.memory++;
      } else rest.push(k);
    }
    const edge = edgeCache();
    if (edge === undefined || rest.length === 0) return out;
    const found = await Promise.all(rest.map(async (k) => [k, await edge.match(ORIGIN + k).then((r) => r?.text())] as const));
    for (const [k, v] of found) {
      if (v === undefined) continue;
      out.set(k, v);
      remember(k, v, now + 60_000);
      this.hits.edge++;
    }
    return out;
  }

  put(entries: [string, string][], ttlSeconds = IMMUTABLE_TTL): void {
    if (entries.length === 0) return;
    const until = Date.now() + ttlSeconds * 1000;
    for (const [k, v] of entries) remember(k, v, until);
    const edge = edgeCache();
    if (edge === undefined) return;
    const headers = { "cache-control": `public, max-age=${ttlSeconds}`, "content-type": "application/json" };
    this.defer(Promise.all(entries.map(([k, v]) => edge.put(ORIGIN + k, new Response(v, { headers })))));
  }
}

function remember(k: string, value: string, until: number): void {
  memory.delete(k);
  memory.set(k, { value, until });
  if (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value!);
}

/** The colo's cache, where the platform has one (workerd; not plain Node). */
function edgeCache(): Cache | undefined {
  const c = (globalThis as { caches?: CacheStorage & { default?: Cache } }).caches;
  return c?.default;
}

/** Forgets this isolate's layer (tests and benchmarks that measure a cold start). */
export function clearMemoryCache(): void {
  memory.clear();
}
