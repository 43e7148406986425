import { Contract, ContractFactory, Wallet } from "ethers";
import { BaseError, ContractFunctionRevertedError, parseAbi, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import OzToken from "../contracts/OzToken.json";
import { newProject } from "./helpers.ts";
import { ethersProvider, viemClients } from "./rpc-client.ts";

const abi = OzToken.abi as any[];
const SUPPLY = 1_000_000n * 10n ** 18n;
const BOB = "0x7000000000000000000000000000000000000007";

describe("viem against /rpc/{key}", () => {
  it("deploys an OpenZeppelin ERC-20, reads, transfers, waits, reads the event, estimates gas, decodes a custom error", async () => {
    const k = await newProject();
    const { account, pub, wallet } = viemClients(k, "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    expect(await pub.getChainId()).toBe(k.chainId);

    const deployHash = await wallet.deployContract({ abi, bytecode: OzToken.bytecode as Hex, args: [SUPPLY] });
    const deployed = await pub.waitForTransactionReceipt({ hash: deployHash });
    expect(deployed.status).toBe("success");
    const token = deployed.contractAddress!;
    expect(await pub.readContract({ address: token, abi, functionName: "balanceOf", args: [account.address] })).toBe(SUPPLY);

    const gas = await pub.estimateContractGas({ address: token, abi, functionName: "transfer", args: [BOB, 1234n], account });
    const hash = await wallet.writeContract({ address: token, abi, functionName: "transfer", args: [BOB, 1234n] });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect(receipt.gasUsed).toBeLessThanOrEqual(gas);
    expect(await pub.readContract({ address: token, abi, functionName: "balanceOf", args: [BOB] })).toBe(1234n);

    const events = await pub.getContractEvents({ address: token, abi, eventName: "Transfer", fromBlock: deployed.blockNumber, args: { to: BOB } });
    expect(events).toHaveLength(1);
    expect(events[0].args).toEqual({ from: account.address, to: BOB, value: 1234n });
    expect(events[0].transactionHash).toBe(hash);
    const logs = await pub.getLogs({ address: token, event: parseAbi(["event Transfer(address indexed from, address indexed to, uint256 value)"])[0], fromBlock: 0n });
    expect(logs).toHaveLength(2);

    const tx = await pub.getTransaction({ hash });
    expect(tx.from).toBe(account.address.toLowerCase());
    const block = await pub.getBlock({ blockNumber: receipt.blockNumber, includeTransactions: false });
    expect(block.transactions).toContain(hash);

    try {
      await pub.simulateContract({ address: token, abi, functionName: "transfer", args: [BOB, SUPPLY * 2n], account });
      expect.unreachable("the transfer must revert");
    } catch (e) {
      const revert = (e as BaseError).walk((err) => err instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError;
      expect(revert.data?.errorName).toBe("ERC20InsufficientBalance");
      expect(revert.data?.args).toEqual([account.address, SUPPLY - 1234n, SUPPLY * 2n]);
    }
  });

  it("estimates the exact minimum: the estimate succeeds, one gas less fails", async () => {
    const k = await newProject();
    const { account, pub, wallet } = viemClients(k, "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    const token = (await pub.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi, bytecode: OzToken.bytecode as Hex, args: [SUPPLY] }) })).contractAddress!;
    const gas = await pub.estimateContractGas({ address: token, abi, functionName: "transfer", args: [BOB, 1n], account });
    const ok = await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: token, abi, functionName: "transfer", args: [BOB, 1n], gas }) });
    expect(ok.status).toBe("success");
    // The state moved (BOB's slot is no longer zero), so estimate again for the same call.
    const again = await pub.estimateContractGas({ address: token, abi, functionName: "transfer", args: [BOB, 1n], account });
    const short = await pub.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: token, abi, functionName: "transfer", args: [BOB, 1n], gas: again - 1n }) });
    expect(short.status).toBe("reverted");
  });
});

describe("ethers v6 against /rpc with a bearer key", () => {
  it("deploys, reads, transfers, waits, queries events and estimates gas", async () => {
    const k = await newProject();
    const provider = ethersProvider(k);
    const wallet = new Wallet("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba", provider);
    const factory = new ContractFactory(abi, OzToken.bytecode, wallet);
    const token = (await factory.deploy(SUPPLY)) as Contract;
    await token.waitForDeployment();
    const address = await token.getAddress();
    expect(await token.balanceOf(wallet.address)).toBe(SUPPLY);
    const estimate = await token.transfer.estimateGas(BOB, 5n);
    expect(estimate).toBeGreaterThan(21_000n);
    const sent = await token.transfer(BOB, 5n);
    const receipt = await sent.wait();
    expect(receipt?.status).toBe(1);
    expect(await token.balanceOf(BOB)).toBe(5n);
    const events = await token.queryFilter(token.filters.Transfer(wallet.address, BOB), 0);
    expect(events).toHaveLength(1);
    expect((events[0] as any).args.value).toBe(5n);
    expect(await provider.getCode(address)).toBe(OzToken.deployedBytecode);
    try {
      await token.transfer.staticCall(BOB, SUPPLY * 3n);
      expect.unreachable("the transfer must revert");
    } catch (e: any) {
      expect(token.interface.parseError(e.data)?.name).toBe("ERC20InsufficientBalance");
    }
  });
});
