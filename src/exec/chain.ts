import type { AccountName } from "../durable/protocol.ts";
import type { Env } from "../env.ts";
import type { Address } from "../primitives/hex.ts";
import { DoStateSource } from "../state/do-source.ts";
import { ACCOUNT_BUSY } from "../durable/protocol.ts";
import type { AccountLoad, LoadRequest } from "../state/sets.ts";
import { blockHash } from "./block.ts";
import { ServiceError } from "./errors.ts";

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
    return new DoStateSource((address, req) => this.load(address, req), (n) => blockHash(this.id, n));
  }

  /** One account's values; an account held by a transaction of unknown outcome answers 409. */
  async load(address: Address, req: LoadRequest): Promise<AccountLoad> {
    try {
      return await this.account(address).load(req);
    } catch (e) {
      if (e instanceof Error && e.message.includes(ACCOUNT_BUSY)) throw new ServiceError(409, "account_busy", `account ${address} is held by a transaction whose outcome is not known yet; retry shortly`, { "retry-after": "1" });
      throw e;
    }
  }
}
