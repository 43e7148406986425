import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM } from "@ethereumjs/evm";
import { Account, createAddressFromString } from "@ethereumjs/util";
import { CALLER, outcomeOf, TARGET, type Engine } from "./engines.ts";

/** @ethereumjs/evm (dev dependency), the TypeScript peer, driven through runCall. */
export const ethereumjs: Engine = {
  name: "ethereumjs",
  reusable: false,
  async prepare(code, calldata, gasLimit) {
    const common = new Common({ chain: Mainnet, hardfork: Hardfork.Prague });
    const evm = await createEVM({ common });
    const caller = createAddressFromString(CALLER);
    const to = createAddressFromString(TARGET);
    await evm.stateManager.putAccount(caller, new Account());
    await evm.stateManager.putAccount(to, new Account(1n));
    await evm.stateManager.putCode(to, code);
    let used = false;
    return {
      async run() {
        if (used) throw new Error("ethereumjs: prepared state is single-use");
        used = true;
        // As in a transaction: caller, target and precompiles are warm (EIP-2929).
        evm.journal.addAlwaysWarmAddress(CALLER);
        evm.journal.addAlwaysWarmAddress(TARGET);
        for (let i = 1; i <= 0x11; i++) evm.journal.addAlwaysWarmAddress(`0x${i.toString(16).padStart(40, "0")}`);
        const r = await evm.runCall({ caller, origin: caller, to, data: calldata, gasLimit: BigInt(gasLimit) });
        return outcomeOf(r.execResult.returnValue, Number(r.execResult.executionGasUsed));
      },
    };
  },
};
