import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { TokenBucket } from "./rate-limit.ts";

/**
 * One object per API key, named by the key's id: the key's request rate. Every request of the
 * key, from any Worker, meets the same token bucket, kept in memory: limiting costs one object
 * call and no storage write. It is its own class (not the key's Account object) so that the
 * per-request check never queues behind that account's commits.
 */
export class KeyGate extends DurableObject<Env> {
  private readonly bucket = new TokenBucket();

  /** One request against the key's limit of `perMinute` requests a minute. */
  take(perMinute: number): { ok: true } | { ok: false; retryAfter: number } {
    return this.bucket.take(perMinute);
  }
}

/** The gate of an API key. */
export function keyGate(env: Env, keyId: string): DurableObjectStub<KeyGate> {
  return env.KEY_GATES.get(env.KEY_GATES.idFromName(keyId));
}
