import { bigIntToHex, bytesToHex, type Address, type Hex } from "../primitives/hex.ts";
import { EMPTY_CODE_HASH, keccak256Hex } from "../primitives/keccak.ts";
import type { AccountFields, WriteSet } from "../state/sets.ts";
import { currentBlock } from "./block.ts";
import { commitRun } from "./commit.ts";
import type { RunContext } from "./context.ts";
import { ServiceError } from "./errors.ts";
import { logged } from "./run-log.ts";

/** What a development method changes in one account: any of its fields, and storage slots. */
export interface DevEdit {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  storage?: [slot: Hex, value: Hex][];
}

const ATTEMPTS = 8;

/**
 * Writes an account's state directly (anvil_setBalance and kin), as a commit of its own: the
 * fields it does not change are read and checked still current when it commits (a transaction
 * that changed them in between makes it read again), stamped like every commit, so state reads
 * at older blocks see that the account changed. Logged and charged as a run of kind `send`.
 */
export function devWrite(ctx: RunContext, address: Address, edit: DevEdit): Promise<true> {
  return logged(ctx, { kind: "send", to: address, data: new Uint8Array(0), gasLimit: 0n }, async () => {
    const slots = (edit.storage ?? []).map(([s]) => s);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const r = await ctx.chain.load(address, { code: false, slots });
      const before: AccountFields | null = r.account === null ? null : { nonce: r.account.nonce, balance: r.account.balance, codeHash: r.account.codeHash };
      const base = before ?? { nonce: "0x0", balance: "0x0", codeHash: EMPTY_CODE_HASH };
      const fields: WriteSet["fields"] = {
        nonce: edit.nonce === undefined ? base.nonce : bigIntToHex(edit.nonce),
        balance: edit.balance === undefined ? base.balance : bigIntToHex(edit.balance),
        codeHash: edit.code === undefined ? base.codeHash : edit.code.length === 0 ? EMPTY_CODE_HASH : keccak256Hex(edit.code),
        ...(edit.code === undefined ? {} : { code: bytesToHex(edit.code) }),
      };
      const writes: WriteSet = { deleted: false, fields, storageReset: false, storage: edit.storage ?? [] };
      const reads = { account: before, storage: r.storage.map((s): [Hex, Hex] => [s.slot, s.value]) };
      const block = Number(currentBlock(ctx.chain.id, ctx.config).env.number);
      const done = await commitRun(ctx.chain, { txId: `dev_${crypto.randomUUID()}`, decider: address, participants: [{ address, reads, writes }], block, readsBlock: false, defer: (w) => ctx.defer(w) });
      if (done.committed) return { value: true as const, end: { status: "success", errorCode: null, blockNumber: BigInt(done.block) } };
    }
    throw new ServiceError(409, "account_busy", `account ${address} kept changing while it was being written; retry`);
  });
}
