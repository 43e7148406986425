import { describe, expect, it } from "vitest";
import { asm } from "../../src/cli/asm.ts";
import { Fork } from "../../src/evm/fork.ts";
import { runTxSync } from "../../src/evm/run.ts";
import type { Tx, TxExecuted } from "../../src/evm/types.ts";
import type { Address } from "../../src/primitives/hex.ts";
import { EMPTY_CODE_HASH } from "../../src/primitives/keccak.ts";
import { MemoryState } from "../../src/state/memory.ts";
import { block, COINBASE, CONTRACT, SENDER, stateWith, tx } from "../helpers/exec.ts";

// What changed from fork to fork, each checked on both sides of the fork that changed it.

const NOBODY = "0x5000000000000000000000000000000000000005" as Address;
const EMPTY_ONE = "0x6000000000000000000000000000000000000006" as Address;
const INTRINSIC = 21000n;

/** A legacy transaction (valid in every fork) at gas price 10. */
function legacy(overrides: Partial<Tx> = {}): Partial<Tx> {
  return { type: 0, gasPrice: 10n, maxFeePerGas: undefined, maxPriorityFeePerGas: undefined, ...overrides };
}

function run(fork: Fork, code: string | Uint8Array, opts: { tx?: Partial<Tx>; state?: MemoryState; difficulty?: bigint } = {}): { r: TxExecuted; state: MemoryState } {
  const state = opts.state ?? stateWith(typeof code === "string" ? asm(code) : code);
  const r = runTxSync({ source: state, tx: tx(legacy(opts.tx)), block: block({ difficulty: opts.difficulty }), fork });
  if (!r.valid) throw new Error(`invalid: ${r.error} ${r.message}`);
  state.apply(r.changes);
  return { r, state };
}

const execGas = (fork: Fork, code: string, opts: { tx?: Partial<Tx> } = {}) => run(fork, code, opts).r.gasSpent - INTRINSIC;

describe("instructions by fork", () => {
  it.each([
    ["PUSH0", Fork.London, Fork.Shanghai],
    ["PUSH 1 PUSH 1 SHL", Fork.Byzantium, Fork.Constantinople],
    ["RETURNDATASIZE", Fork.SpuriousDragon, Fork.Byzantium],
    ["CHAINID", Fork.Petersburg, Fork.Istanbul],
    ["BASEFEE", Fork.Berlin, Fork.London],
    ["PUSH 0 TLOAD", Fork.Shanghai, Fork.Cancun],
  ])("%s is undefined in the fork before it came and runs in its own", (code, before, since) => {
    expect(run(before, `${code} STOP`).r.haltReason).toBe("invalid_opcode");
    expect(run(since, `${code} STOP`).r.status).toBe("success");
  });

  it("reads the difficulty at 0x44 before the Merge and PREVRANDAO after", () => {
    const code = "PREVRANDAO PUSH 0 SSTORE STOP";
    expect(run(Fork.London, code, { difficulty: 0x20000n }).state.accounts.get(CONTRACT)!.storage.get(0n)).toBe(0x20000n);
    expect(run(Fork.Paris, code, { difficulty: 0x20000n }).state.accounts.get(CONTRACT)!.storage.get(0n)).toBe(block().prevRandao);
  });

  it("prices EXP's exponent bytes at 10 before EIP-160 and 50 after", () => {
    expect(execGas(Fork.TangerineWhistle, "PUSH 0x0101 PUSH 2 EXP STOP")).toBe(6n + 10n + 2n * 10n);
    expect(execGas(Fork.SpuriousDragon, "PUSH 0x0101 PUSH 2 EXP STOP")).toBe(6n + 10n + 2n * 50n);
  });
});

describe("state access prices (EIP-150, EIP-1884, EIP-2929)", () => {
  it.each([
    [Fork.Homestead, 50n, 20n],
    [Fork.TangerineWhistle, 200n, 400n],
    [Fork.Istanbul, 800n, 700n],
    [Fork.Berlin, 2100n, 2600n],
  ])("fork %i: SLOAD %i, BALANCE of a cold account %i", (fork, sload, balance) => {
    expect(execGas(fork, "PUSH 0 SLOAD STOP")).toBe(3n + sload);
    expect(execGas(fork, `PUSH ${BigInt(NOBODY)} BALANCE STOP`)).toBe(3n + balance);
  });

  it("keeps the coinbase cold until EIP-3651 (Shanghai)", () => {
    expect(execGas(Fork.London, `PUSH ${BigInt(COINBASE)} BALANCE STOP`)).toBe(3n + 2600n);
    expect(execGas(Fork.Shanghai, `PUSH ${BigInt(COINBASE)} BALANCE STOP`)).toBe(3n + 100n);
  });
});

describe("SSTORE by fork", () => {
  // A fresh slot written twice: the second write is where the rules differ.
  const twice = "PUSH 1 PUSH 0 SSTORE PUSH 2 PUSH 0 SSTORE STOP";
  it.each([
    [Fork.Byzantium, 20000n + 5000n],
    [Fork.Constantinople, 20000n + 200n], // EIP-1283
    [Fork.Petersburg, 20000n + 5000n], // EIP-1283 withdrawn
    [Fork.Istanbul, 20000n + 800n], // EIP-2200
    [Fork.Berlin, 22100n + 100n], // EIP-2929
  ])("fork %i charges %i for two writes", (fork, gas) => {
    expect(execGas(fork, twice)).toBe(12n + gas);
  });

  it("refunds 15,000 for a clear before London and 4,800 from it, capped at a half before London", () => {
    const clear = "PUSH 0 PUSH 0 SSTORE STOP";
    const slot = () => stateWith(asm(clear), new Map([[0n, 5n]]));
    const berlin = run(Fork.Berlin, clear, { state: slot() }).r;
    expect(berlin.gasRefunded).toBe((berlin.gasSpent / 2n < 15000n ? berlin.gasSpent / 2n : 15000n));
    const london = run(Fork.London, clear, { state: slot() }).r;
    expect(london.gasRefunded).toBe(4800n);
  });
});

describe("CALL and CREATE gas", () => {
  const callAll = `PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH ${BigInt(NOBODY)} PUSH 0xffffffff CALL STOP`;
  it("before EIP-150 a CALL asking for more gas than is left runs out of gas; after, the callee gets all but a 64th", () => {
    expect(run(Fork.Homestead, callAll, { tx: { gasLimit: 100_000n } }).r.haltReason).toBe("out_of_gas");
    expect(run(Fork.TangerineWhistle, callAll, { tx: { gasLimit: 100_000n } }).r.status).toBe("success");
  });

  it("charges 25,000 for a call to a missing account before EIP-161, only with value after", () => {
    // CALL base (40 or 700) + new account; the callee has no code and returns all its gas.
    expect(execGas(Fork.Homestead, `PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH ${BigInt(NOBODY)} PUSH 0 CALL STOP`)).toBe(21n + 40n + 25000n);
    expect(execGas(Fork.SpuriousDragon, `PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH ${BigInt(NOBODY)} PUSH 0 CALL STOP`)).toBe(21n + 700n);
  });

  it("Frontier deploys no code when the deposit cannot be paid, keeping the gas; Homestead fails the creation", () => {
    // Init code returning 100 bytes: a 20,000-gas deposit, with about 13,700 gas left to pay it.
    const init = asm("PUSH 100 PUSH 0 RETURN");
    const frontier = run(Fork.Frontier, "STOP", { tx: { to: null, data: init, gasLimit: 35_000n } });
    expect(frontier.r.status).toBe("success");
    expect(frontier.state.accounts.get(frontier.r.createdAddress!)?.codeHash).toBe(EMPTY_CODE_HASH);
    // No creation fee before EIP-2; two pushes and four words of memory, no deposit.
    expect(frontier.r.gasSpent).toBe(INTRINSIC + intrinsicData(init) + 6n + 12n);
    const homestead = run(Fork.Homestead, "STOP", { tx: { to: null, data: init, gasLimit: 35_000n + 32_000n } });
    expect(homestead.r.status).toBe("halted");
    expect(homestead.r.haltReason).toBe("out_of_gas");
  });
});

/** Calldata gas before EIP-2028: 4 a zero byte, 68 any other. */
function intrinsicData(data: Uint8Array): bigint {
  return data.reduce((n, b) => n + (b === 0 ? 4n : 68n), 0n);
}

describe("empty accounts (EIP-161)", () => {
  const callNobody = `PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH ${BigInt(NOBODY)} PUSH 0xffff CALL STOP`;
  it("a call creates a missing account before Spurious Dragon, and nothing after", () => {
    expect(run(Fork.TangerineWhistle, callNobody).state.accounts.has(NOBODY)).toBe(true);
    expect(run(Fork.SpuriousDragon, callNobody).state.accounts.has(NOBODY)).toBe(false);
    expect(run(Fork.Paris, callNobody).state.accounts.has(NOBODY)).toBe(false);
  });

  it("an existing empty account a call touched is deleted from Spurious Dragon to London, kept before and after", () => {
    const code = `PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH ${BigInt(EMPTY_ONE)} PUSH 0xffff CALL STOP`;
    const withEmpty = () => {
      const s = stateWith(asm(code));
      s.setAccount(EMPTY_ONE, {});
      return s;
    };
    expect(run(Fork.TangerineWhistle, code, { state: withEmpty() }).state.accounts.has(EMPTY_ONE)).toBe(true);
    expect(run(Fork.SpuriousDragon, code, { state: withEmpty() }).state.accounts.has(EMPTY_ONE)).toBe(false);
    expect(run(Fork.London, code, { state: withEmpty() }).state.accounts.has(EMPTY_ONE)).toBe(false);
    // Paris on, the spec assumes no empty account exists (EIP-7523) and deletes only on write.
    expect(run(Fork.Paris, code, { state: withEmpty() }).state.accounts.has(EMPTY_ONE)).toBe(true);
  });

  it("a reverted call forgets its touch", () => {
    const code = `PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH 0 PUSH ${BigInt(EMPTY_ONE)} PUSH 0xffff CALL PUSH 0 PUSH 0 REVERT`;
    const s = stateWith(asm(code));
    s.setAccount(EMPTY_ONE, {});
    expect(run(Fork.London, code, { state: s }).state.accounts.has(EMPTY_ONE)).toBe(true);
  });
});

describe("SELFDESTRUCT by fork", () => {
  const destruct = `PUSH ${BigInt(NOBODY)} SELFDESTRUCT`;
  it("deletes a pre-existing contract before Cancun, only moves its balance from Cancun (EIP-6780)", () => {
    const withBalance = () => {
      const s = stateWith(asm(destruct));
      s.setAccount(CONTRACT, { code: asm(destruct), nonce: 1n, balance: 5n });
      return s;
    };
    const shanghai = run(Fork.Shanghai, destruct, { state: withBalance() }).state;
    expect(shanghai.accounts.has(CONTRACT)).toBe(false);
    expect(shanghai.accounts.get(NOBODY)?.balance).toBe(5n);
    const cancun = run(Fork.Cancun, destruct, { state: withBalance() }).state;
    expect(cancun.accounts.get(CONTRACT)?.codeHash).not.toBe(EMPTY_CODE_HASH);
    expect(cancun.accounts.get(CONTRACT)?.balance).toBe(0n);
    expect(cancun.accounts.get(NOBODY)?.balance).toBe(5n);
  });

  it("refunds 24,000 before London (capped at half the gas used), nothing from London", () => {
    const berlin = run(Fork.Berlin, destruct).r;
    expect(berlin.gasRefunded).toBe(berlin.gasSpent / 2n);
    expect(run(Fork.London, destruct).r.gasRefunded).toBe(0n);
  });

  it("costs nothing before EIP-150; 25,000 more for a missing beneficiary from it; with value only after EIP-161", () => {
    expect(execGas(Fork.Homestead, destruct)).toBe(3n);
    expect(execGas(Fork.TangerineWhistle, destruct)).toBe(3n + 5000n + 25000n);
    expect(execGas(Fork.SpuriousDragon, destruct)).toBe(3n + 5000n);
  });
});

describe("transactions by fork", () => {
  it.each([
    [1, Fork.Istanbul, Fork.Berlin],
    [2, Fork.Berlin, Fork.London],
  ] as const)("type %i is refused before its fork", (type, before, since) => {
    const t = tx({ type, gasPrice: 10n, chainId: 1n });
    const state = stateWith(asm("STOP"));
    const r = runTxSync({ source: state, tx: t, block: block(), fork: before });
    expect(r.valid ? "valid" : r.error).toBe("tx_type_not_supported");
    expect(runTxSync({ source: stateWith(asm("STOP")), tx: t, block: block(), fork: since }).valid).toBe(true);
  });

  it("refuses a replay-protected legacy transaction (EIP-155) before Spurious Dragon", () => {
    const t = tx({ type: 0, gasPrice: 10n, chainId: 1n });
    const r = runTxSync({ source: stateWith(asm("STOP")), tx: t, block: block(), fork: Fork.TangerineWhistle });
    expect(r.valid ? "valid" : r.error).toBe("tx_type_not_supported");
    expect(runTxSync({ source: stateWith(asm("STOP")), tx: t, block: block(), fork: Fork.SpuriousDragon }).valid).toBe(true);
  });

  it("charges 68 for a non-zero calldata byte before EIP-2028 (Istanbul), 16 from it", () => {
    expect(run(Fork.Petersburg, "STOP", { tx: { data: Uint8Array.of(1, 0) } }).r.gasUsed).toBe(INTRINSIC + 68n + 4n);
    expect(run(Fork.Istanbul, "STOP", { tx: { data: Uint8Array.of(1, 0) } }).r.gasUsed).toBe(INTRINSIC + 16n + 4n);
  });

  it("charges no creation before Homestead (EIP-2)", () => {
    expect(run(Fork.Frontier, "STOP", { tx: { to: null } }).r.gasUsed).toBe(INTRINSIC);
    expect(run(Fork.Homestead, "STOP", { tx: { to: null } }).r.gasUsed).toBe(INTRINSIC + 32000n);
  });

  it("pays the whole gas price to the coinbase before London (no base fee burnt)", () => {
    const { r, state } = run(Fork.Berlin, "STOP");
    expect(state.accounts.get(COINBASE)?.balance).toBe(r.gasUsed * 10n);
    expect(state.accounts.get(SENDER)?.balance).toBe(10n ** 21n - r.gasUsed * 10n);
  });
});
