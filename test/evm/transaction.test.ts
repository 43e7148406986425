import { describe, expect, it } from "vitest";
import type { Address } from "../../src/primitives/hex.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync } from "../../src/evm/run.ts";
import { delegationCode } from "../../src/evm/delegation.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { asm } from "../../src/cli/asm.ts";
import { block, COINBASE, CONTRACT, runCode, SENDER, stateWith, tx } from "../helpers/exec.ts";

function invalidError(overrides: Parameters<typeof tx>[0], fork: Fork = Fork.Osaka, state = stateWith(asm(`STOP`))): string {
  const r = runTxSync({ source: state, tx: tx(overrides), block: block(), fork });
  return r.valid ? "valid" : r.error;
}

describe("transaction validity", () => {
  it("rejects each broken rule with its own code", () => {
    expect(invalidError({ gasLimit: 20_000n })).toBe("intrinsic_gas_too_low");
    expect(invalidError({ nonce: 1n })).toBe("nonce_too_high");
    expect(invalidError({ maxFeePerGas: 5n })).toBe("max_fee_below_base_fee");
    expect(invalidError({ maxPriorityFeePerGas: 11n })).toBe("priority_fee_above_max_fee");
    expect(invalidError({ value: 10n ** 22n })).toBe("insufficient_funds");
    expect(invalidError({ gasLimit: (1n << 24n) + 1n })).toBe("gas_limit_too_high");
    expect(invalidError({ gasLimit: (1n << 24n) + 1n }, Fork.Prague)).toBe("valid");
    expect(invalidError({ type: 4, authorizationList: [] }, Fork.Prague)).toBe("empty_authorization_list");
    expect(invalidError({ type: 3, blobVersionedHashes: [], maxFeePerBlobGas: 1n })).toBe("no_blobs");
    expect(invalidError({ type: 3, blobVersionedHashes: [2n << 248n], maxFeePerBlobGas: 1n })).toBe("invalid_blob_hash_version");
    expect(invalidError({ to: null, data: new Uint8Array(49153) })).toBe("init_code_too_large");
  });

  it("leaves state unchanged for an invalid transaction", () => {
    const state = stateWith(asm(`STOP`));
    const r = runTxSync({ source: state, tx: tx({ nonce: 5n }), block: block(), fork: Fork.Osaka });
    expect(r.valid).toBe(false);
    expect(state.account(SENDER)!.nonce).toBe(0n);
  });

  it("charges the sender, pays the tip to the coinbase and burns the base fee", () => {
    const { result, state } = runCode(asm(`STOP`));
    expect(result.gasUsed).toBe(21_000n);
    // maxFee 10, tip 1, base fee 7: effective price 8, coinbase gets 1 per gas
    expect(state.account(SENDER)!.balance).toBe(10n ** 21n - 21_000n * 8n);
    expect(state.account(COINBASE)!.balance).toBe(21_000n);
  });

  it("applies the EIP-7623 calldata floor from Prague", () => {
    const data = new Uint8Array(100).fill(1); // 400 tokens: standard 1600 gas, floor 4000
    const prague = runCode(asm(`STOP`), { fork: Fork.Prague, tx: { data } }).result;
    expect(prague.gasUsed).toBe(21_000n + 4_000n);
    const cancun = runCode(asm(`STOP`), { fork: Fork.Cancun, tx: { data } }).result;
    expect(cancun.gasUsed).toBe(21_000n + 1_600n);
  });
});

describe("EIP-7702 delegation", () => {
  const TARGET = "0x6000000000000000000000000000000000000006" as Address;
  it("runs the delegate's code in the delegating account's context", () => {
    const state = new MemoryState();
    state.setAccount(SENDER, { balance: 10n ** 21n });
    state.setAccount(CONTRACT, { code: delegationCode(TARGET) });
    state.setAccount(TARGET, { code: asm(`ADDRESS PUSH 0 SSTORE STOP`) });
    const r = runTxSync({ source: state, tx: tx(), block: block(), fork: Fork.Prague });
    expect(r.valid && r.status).toBe("success");
    if (r.valid) state.apply(r.changes);
    expect(state.storage(CONTRACT, 0n)).toBe(BigInt(CONTRACT));
    expect(state.storage(TARGET, 0n)).toBe(0n);
  });
});

describe("EIP-6780 SELFDESTRUCT", () => {
  it("only moves the balance of a contract created earlier", () => {
    const state = stateWith(asm(`PUSH20 ${BigInt(COINBASE)} SELFDESTRUCT`));
    state.setAccount(CONTRACT, { code: asm(`PUSH20 ${BigInt(COINBASE)} SELFDESTRUCT`), balance: 50n, nonce: 1n });
    const { state: after } = runCode(new Uint8Array(), { state });
    expect(after.account(CONTRACT)).not.toBeNull();
    expect(after.account(CONTRACT)!.balance).toBe(0n);
    expect(after.code(CONTRACT).length).toBeGreaterThan(0);
  });
  it("deletes a contract created in the same transaction", () => {
    const init = asm(`CALLER SELFDESTRUCT`);
    const { result, state } = runCode(new Uint8Array(), { tx: { to: null, data: init, value: 3n } });
    expect(result.status).toBe("success");
    expect(state.account(result.createdAddress!)).toBeNull();
  });
});

describe("transient storage (EIP-1153)", () => {
  it("is visible within the transaction and gone after it", () => {
    const { result, state } = runCode(asm(`PUSH 7 PUSH 1 TSTORE PUSH 1 TLOAD PUSH 0 SSTORE STOP`));
    expect(result.status).toBe("success");
    expect(state.storage(CONTRACT, 0n)).toBe(7n);
    const again = runCode(asm(`PUSH 1 TLOAD PUSH 0 SSTORE STOP`)).state;
    expect(again.storage(CONTRACT, 0n)).toBe(0n);
  });
});
