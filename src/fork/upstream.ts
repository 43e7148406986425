import { ServiceError } from "../exec/errors.ts";
import { readCapped } from "../primitives/read-capped.ts";
import type { Network } from "./network.ts";
import { logEvent } from "../primitives/log.ts";
import type { UpstreamUse } from "../state/sets.ts";

/**
 * What one of our requests cost upstream: JSON-RPC calls, HTTP round trips, bytes both ways; and
 * how its requests are paid before they are sent. In the Worker, `pay` holds their price in the
 * request's reservation (RequestBudget.chargeUpstream); an account object reading a persistent
 * fork's base is given `paid` instead (the requests held for it). With neither, nothing is priced.
 */
export interface UpstreamUsage extends UpstreamUse {
  /** Holds the price of `most` more requests, or as many as the credit covers down to `least`; 402 below that. */
  pay?: (most: number, least?: number) => Promise<Held>;
}

/** Requests paid for in advance, and the release of what was held for them once they are counted. */
export interface Held {
  requests: number;
  release: () => void;
}

export const NOTHING_HELD = (): void => {};

/** Where a failed load's upstream use rides at the end of its error's message (see `withUsage`). */
const USED = /\n\[upstream used (\d+) (\d+) (\d+)\]$/;

/**
 * `message` carrying what a failed load used of the upstream: over RPC (an account object's
 * load) an error keeps only its message, and those requests are the request's to pay.
 */
export function withUsage(message: string, used: UpstreamUse): string {
  return used.requests === 0 ? message : `${message}\n[upstream used ${used.requests} ${used.roundTrips} ${used.bytes}]`;
}

/** The upstream use an error's message carries (withUsage), and the error without it. */
export function usageOf(e: unknown): { used?: UpstreamUse; error: unknown } {
  const m = e instanceof Error ? USED.exec(e.message) : null;
  if (m === null) return { error: e };
  return { used: { requests: Number(m[1]), roundTrips: Number(m[2]), bytes: Number(m[3]) }, error: new Error(e instanceof Error ? e.message.slice(0, m.index) : "") };
}

/** Ends the run when `usage` passed the byte limit: one check for every client of a request, and for their sum. */
export function checkBytes(usage: UpstreamUse, limits: UpstreamLimits, network: string): void {
  if (usage.bytes > limits.bytes) throw new ServiceError(413, "upstream_bytes_exceeded", `the run moved more than ${limits.bytes} bytes to and from the ${network} upstream`);
}

/** Adds `more` to `usage`. */
export function addUsage(usage: UpstreamUsage, more: UpstreamUse): void {
  usage.requests += more.requests;
  usage.roundTrips += more.roundTrips;
  usage.bytes += more.bytes;
}

/** Per request of ours: beyond these, the run ends with its own error code. */
export interface UpstreamLimits {
  roundTrips: number;
  bytes: number;
}

export interface RpcCall {
  method: string;
  params: unknown[];
}

const TIMEOUT_MS = 15_000;

/**
 * A JSON-RPC client of one network: every `batch` is one HTTP request carrying all its calls
 * (one round trip), counted in `usage` and held to `limits`. URLs are tried in order when one
 * fails to answer. Nothing it throws or logs names a URL: they often carry a provider key.
 */
export class Upstream {
  constructor(
    readonly network: Network,
    private readonly limits: UpstreamLimits,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
    /** Shared by every client of one request of ours, so that its limits hold over all of them. */
    readonly usage: UpstreamUsage = { requests: 0, roundTrips: 0, bytes: 0 },
  ) {}

  async call(method: string, params: unknown[]): Promise<unknown> {
    return (await this.batch([{ method, params }]))[0];
  }

  /** The calls' results in order; a call answered with an error throws `upstream_error`. */
  async batch(calls: RpcCall[]): Promise<unknown[]> {
    if (calls.length === 0) return [];
    const body = JSON.stringify(calls.map((c, id) => ({ jsonrpc: "2.0", id, method: c.method, params: c.params })));
    // Paid first; checked and counted in the same turn after it, so parallel calls stay within both.
    const release = await this.paidFor(calls.length);
    try {
      if (this.usage.roundTrips >= this.limits.roundTrips) {
        throw new ServiceError(413, "upstream_round_trips_exceeded", `the run needed more than ${this.limits.roundTrips} sequential round trips to the ${this.network.name} upstream; pass an accessList to prefetch what it reads`);
      }
      this.usage.roundTrips++;
      this.usage.requests += calls.length;
      this.usage.bytes += body.length;
    } finally {
      release();
    }
    this.checkBytes();
    // The answer's bytes are counted in `usage` as they arrive (post).
    return this.results(calls, await this.post(body));
  }

  /** Before `n` requests are sent: their price is held (pay), or they are within what was paid for (paid). */
  private async paidFor(n: number): Promise<() => void> {
    const u = this.usage;
    if (u.pay !== undefined) return (await u.pay(n)).release;
    if (u.paid !== undefined && u.requests + n > u.paid) {
      throw new ServiceError(402, "insufficient_credit", `the project's credit does not cover the ${n} requests to the ${this.network.name} upstream this read needs: ask the operator for credit`);
    }
    return NOTHING_HELD;
  }

  /** Counts an answer's chunk in the request's use as it arrives: answers read in parallel share one limit. */
  private readonly answerBytes = (bytes: number): boolean => (this.usage.bytes += bytes) <= this.limits.bytes;

  private checkBytes(): void {
    checkBytes(this.usage, this.limits, this.network.name);
  }

  private async post(body: string): Promise<string> {
    for (let i = 0; i < this.network.urls.length; i++) {
      try {
        const res = await this.fetcher(this.network.urls[i], { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
        if (res.ok) return await readCapped(res.body, this.answerBytes, () => new ServiceError(413, "upstream_bytes_exceeded", `the ${this.network.name} upstream's answers are over the request's byte limit`));
        await res.body?.cancel();
        logEvent("warn", "upstream_failed", { network: this.network.name, url: i, status: res.status });
      } catch (err) {
        if (err instanceof ServiceError) throw err;
        logEvent("warn", "upstream_failed", { network: this.network.name, url: i, errorName: err instanceof Error ? err.name : "error" });
      }
    }
    throw new ServiceError(502, "upstream_unavailable", `the ${this.network.name} upstream did not answer; retry later`);
  }

  private results(calls: RpcCall[], text: string): unknown[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.malformed();
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const byId = new Map<unknown, Record<string, unknown>>();
    for (const r of list) if (typeof r === "object" && r !== null) byId.set((r as Record<string, unknown>).id, r as Record<string, unknown>);
    return calls.map((c, id) => {
      const r = byId.get(id);
      if (r === undefined) throw this.malformed();
      if (r.error !== undefined) {
        const e = r.error as { message?: unknown };
        throw new ServiceError(502, "upstream_error", `${c.method} failed on the ${this.network.name} upstream: ${this.scrub(String(e?.message ?? "error")).slice(0, 200)}`);
      }
      return r.result;
    });
  }

  private malformed() {
    return new ServiceError(502, "upstream_invalid_answer", `the ${this.network.name} upstream answered something that is not JSON-RPC`);
  }

  /** An upstream's message, minus anything that looks like a URL (ours may be echoed back). */
  private scrub(message: string): string {
    let out = message;
    for (const url of this.network.urls) out = out.replaceAll(url, "<upstream>");
    return out.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, "<url>");
  }
}
