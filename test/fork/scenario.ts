import Factory from "@uniswap/v2-core/build/UniswapV2Factory.json";
import Pair from "@uniswap/v2-core/build/UniswapV2Pair.json";
import Router from "@uniswap/v2-periphery/build/UniswapV2Router02.json";
import { encodeDeployData, encodeFunctionData, parseAbi, type Hex } from "viem";
import OzToken from "../contracts/OzToken.json";
import { rpc } from "../helpers/rpc.ts";

/**
 * A small world on an upstream chain (Anvil): two OpenZeppelin ERC-20 tokens, a Uniswap V2
 * factory, pair and router (the published npm builds), liquidity in the pair, an allowance for
 * the router, and a few empty blocks after. Tests run the same transactions through our fork
 * and through Anvil itself, at the same block, and compare.
 */
export const DEPLOYER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266" as const;
export const BOB = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" as const;

export const ERC20 = parseAbi([
  "function transfer(address to, uint256 amount) returns (bool)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transferFrom(address from, address to, uint256 amount) returns (bool)",
  "function balanceOf(address who) view returns (uint256)",
]);
export const ROUTER = parseAbi(["function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) returns (uint256[] amounts)"]);
const FACTORY = parseAbi(["function createPair(address a, address b) returns (address pair)", "function getPair(address a, address b) view returns (address)"]);
const PAIR = parseAbi(["function mint(address to) returns (uint256)"]);

export interface World {
  tokenA: Hex;
  tokenB: Hex;
  factory: Hex;
  pair: Hex;
  router: Hex;
  /** The block at which everything above is in place. */
  block: bigint;
}

const E18 = 10n ** 18n;

async function send(url: string, tx: { to?: Hex; data: Hex }): Promise<{ contractAddress: Hex | null; status: Hex }> {
  const hash = await rpc(url, "eth_sendTransaction", [{ from: DEPLOYER, ...tx, gas: "0x989680" }]);
  const receipt = await receiptOf(url, hash);
  if (receipt.status !== "0x1") throw new Error(`setup transaction failed: ${JSON.stringify(tx).slice(0, 80)}`);
  return receipt;
}

/** Anvil mines each transaction at once, but may answer for its receipt a moment later. */
export async function receiptOf(url: string, hash: Hex) {
  for (let i = 0; ; i++) {
    const r = await rpc(url, "eth_getTransactionReceipt", [hash]);
    if (r !== null || i === 100) return r;
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function deploy(url: string, data: Hex): Promise<Hex> {
  return (await send(url, { data })).contractAddress!;
}

export async function buildWorld(url: string): Promise<World> {
  const token = (supply: bigint) => deploy(url, encodeDeployData({ abi: OzToken.abi, bytecode: OzToken.bytecode as Hex, args: [supply] }));
  const tokenA = await token(1_000_000n * E18);
  const tokenB = await token(1_000_000n * E18);
  const factory = await deploy(url, encodeDeployData({ abi: Factory.abi, bytecode: `0x${Factory.bytecode.replace(/^0x/, "")}`, args: [DEPLOYER] }));
  await send(url, { to: factory, data: encodeFunctionData({ abi: FACTORY, functionName: "createPair", args: [tokenA, tokenB] }) });
  const pair = ((await rpc(url, "eth_call", [{ to: factory, data: encodeFunctionData({ abi: FACTORY, functionName: "getPair", args: [tokenA, tokenB] }) }, "latest"])) as Hex).replace(/^0x0{24}/, "0x") as Hex;
  await send(url, { to: tokenA, data: encodeFunctionData({ abi: ERC20, functionName: "transfer", args: [pair, 10_000n * E18] }) });
  await send(url, { to: tokenB, data: encodeFunctionData({ abi: ERC20, functionName: "transfer", args: [pair, 20_000n * E18] }) });
  await send(url, { to: pair, data: encodeFunctionData({ abi: PAIR, functionName: "mint", args: [DEPLOYER] }) });
  const router = await deploy(url, encodeDeployData({ abi: Router.abi, bytecode: `0x${Router.bytecode.replace(/^0x/, "")}`, args: [factory, tokenB] }));
  await send(url, { to: tokenA, data: encodeFunctionData({ abi: ERC20, functionName: "approve", args: [router, 2n ** 256n - 1n] }) });
  await send(url, { to: tokenA, data: encodeFunctionData({ abi: ERC20, functionName: "transfer", args: [BOB, 500n * E18] }) });
  await send(url, { to: tokenA, data: encodeFunctionData({ abi: ERC20, functionName: "approve", args: [BOB, 100n * E18] }) });
  await rpc(url, "anvil_mine", ["0x3"]);
  const block = BigInt(await rpc(url, "eth_blockNumber"));
  return { tokenA, tokenB, factory, pair, router, block };
}

/** The transactions compared between our fork and the upstream. */
export function cases(w: World): { name: string; tx: { from: Hex; to?: Hex; data: Hex; value?: Hex } }[] {
  const erc20 = (functionName: "transfer" | "approve" | "transferFrom", args: readonly unknown[]) => encodeFunctionData({ abi: ERC20, functionName, args } as never);
  return [
    { name: "transfer", tx: { from: DEPLOYER, to: w.tokenA, data: erc20("transfer", [BOB, 123n * E18]) } },
    { name: "approve", tx: { from: BOB, to: w.tokenA, data: erc20("approve", [DEPLOYER, 50n * E18]) } },
    { name: "transferFrom", tx: { from: BOB, to: w.tokenA, data: erc20("transferFrom", [DEPLOYER, BOB, 7n * E18]) } },
    { name: "swap", tx: { from: DEPLOYER, to: w.router, data: swapData(w, DEPLOYER) } },
    { name: "revert", tx: { from: BOB, to: w.tokenA, data: erc20("transfer", [DEPLOYER, 501n * E18]) } },
    { name: "create", tx: { from: BOB, data: encodeDeployData({ abi: OzToken.abi, bytecode: OzToken.bytecode as Hex, args: [77n] }) } },
    { name: "ether", tx: { from: BOB, to: "0x1111111111111111111111111111111111111111", data: "0x", value: "0xde0b6b3a7640000" } },
  ];
}

export function swapData(w: World, to: Hex): Hex {
  return encodeFunctionData({ abi: ROUTER, functionName: "swapExactTokensForTokens", args: [10n * E18, 0n, [w.tokenA, w.tokenB], to, 2n ** 40n] });
}
