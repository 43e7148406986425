import type { AccountName } from "../durable/protocol.ts";
import type { Env } from "../env.ts";
import type { Address } from "../primitives/hex.ts";
import { DoStateSource } from "../state/do-source.ts";
import { blockHash } from "./block.ts";

/**
 * The account objects of one chain. An account's object is named `<chainId>:<address>`, from an
 * address already validated and lowercased: never from a raw path.
 */
export class Chain {
  constructor(readonly env: Env, readonly id: bigint) {}

  name(address: Address): AccountName {
    return `${this.id}:${address}`;
  }

  account(address: Address) {
    return this.env.ACCOUNTS.get(this.env.ACCOUNTS.idFromName(this.name(address)));
  }

  /** A fresh view of the chain's state for one run, loading from the account objects. */
  source(): DoStateSource {
    return new DoStateSource((address, req) => this.account(address).load(req), (n) => blockHash(this.id, n));
  }
}
