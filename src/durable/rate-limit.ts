/**
 * A token bucket: `perMinute` requests a minute, bursts up to `perMinute`. Kept in the memory of
 * the project's Ledger object, so limiting costs no storage write. An evicted object starts with
 * a full bucket again (at worst one extra burst after an idle spell, when the bucket was full anyway).
 */
export class TokenBucket {
  private tokens = -1;
  private last = 0;

  /** Takes `n` tokens (a JSON-RPC batch takes one per request); otherwise the seconds until they are there. */
  take(perMinute: number, now = Date.now(), n = 1): { ok: true } | { ok: false; retryAfter: number } {
    if (this.tokens < 0) {
      this.tokens = perMinute;
      this.last = now;
    }
    this.tokens = Math.min(perMinute, this.tokens + ((now - this.last) * perMinute) / 60_000);
    this.last = now;
    if (this.tokens >= n) {
      this.tokens -= n;
      return { ok: true };
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil(((Math.min(n, perMinute) - this.tokens) * 60) / perMinute)) };
  }
}
