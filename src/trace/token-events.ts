import type { Log } from "../evm/types.ts";
import { bytesToBigInt } from "../primitives/bytes.ts";
import { bigIntToAddress, type Address, type Hex } from "../primitives/hex.ts";

/** keccak256 of the event signatures of ERC-20, ERC-721 and ERC-1155. */
const TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
const APPROVAL = "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925";
const APPROVAL_FOR_ALL = "0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31";
const TRANSFER_SINGLE = "0xc3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62";
const TRANSFER_BATCH = "0x4a39dc06d4c0dbc64b70af90fd698a233a518aa5d07e595d983b8c0526c8f7fb";

export type TokenStandard = "erc20" | "erc721" | "erc1155";

/** A standard token event, decoded. Amounts and ids are decimal strings. */
export interface DecodedEvent {
  standard: TokenStandard;
  event: "Transfer" | "Approval" | "ApprovalForAll" | "TransferSingle" | "TransferBatch";
  args: Record<string, string | string[] | boolean>;
}

/** A token movement a log records. */
export interface TokenTransfer {
  standard: TokenStandard;
  token: Address;
  from: Address;
  to: Address;
  /** ERC-20 amount, or 1 for an ERC-721 token, or the ERC-1155 value. */
  amount: bigint;
  tokenId?: bigint;
}

const topicAddress = (t: Hex) => bigIntToAddress(BigInt(t));
const word = (data: Uint8Array, i: number) => bytesToBigInt(data.subarray(32 * i, 32 * i + 32));

/** Decodes ERC-20/721/1155 events by their shape (topic count and data size); others are undefined. */
export function decodeTokenEvent(log: Log): DecodedEvent | undefined {
  const [t0, t1, t2, t3] = log.topics;
  const n = log.topics.length, d = log.data;
  if (t0 === TRANSFER && n === 3 && d.length === 32) return { standard: "erc20", event: "Transfer", args: { from: topicAddress(t1), to: topicAddress(t2), value: word(d, 0).toString() } };
  if (t0 === TRANSFER && n === 4 && d.length === 0) return { standard: "erc721", event: "Transfer", args: { from: topicAddress(t1), to: topicAddress(t2), tokenId: BigInt(t3).toString() } };
  if (t0 === APPROVAL && n === 3 && d.length === 32) return { standard: "erc20", event: "Approval", args: { owner: topicAddress(t1), spender: topicAddress(t2), value: word(d, 0).toString() } };
  if (t0 === APPROVAL && n === 4 && d.length === 0) return { standard: "erc721", event: "Approval", args: { owner: topicAddress(t1), approved: topicAddress(t2), tokenId: BigInt(t3).toString() } };
  if (t0 === APPROVAL_FOR_ALL && n === 3 && d.length === 32) return { standard: "erc721", event: "ApprovalForAll", args: { owner: topicAddress(t1), operator: topicAddress(t2), approved: word(d, 0) !== 0n } };
  if (t0 === TRANSFER_SINGLE && n === 4 && d.length === 64) {
    return { standard: "erc1155", event: "TransferSingle", args: { operator: topicAddress(t1), from: topicAddress(t2), to: topicAddress(t3), id: word(d, 0).toString(), value: word(d, 1).toString() } };
  }
  if (t0 === TRANSFER_BATCH && n === 4) {
    const batch = decodeTwoArrays(d);
    if (batch !== undefined) return { standard: "erc1155", event: "TransferBatch", args: { operator: topicAddress(t1), from: topicAddress(t2), to: topicAddress(t3), ids: batch[0].map(String), values: batch[1].map(String) } };
  }
  return undefined;
}

/** ABI `(uint256[], uint256[])`, strictly: undefined when malformed or the lengths differ. */
function decodeTwoArrays(d: Uint8Array): [bigint[], bigint[]] | undefined {
  if (d.length < 128 || d.length % 32 !== 0) return undefined;
  const arrayAt = (offset: bigint): bigint[] | undefined => {
    if (offset % 32n !== 0n || offset + 32n > BigInt(d.length)) return undefined;
    const at = Number(offset) / 32, len = word(d, at);
    if (BigInt(at + 1) + len > BigInt(d.length / 32)) return undefined;
    return Array.from({ length: Number(len) }, (_, i) => word(d, at + 1 + i));
  };
  const ids = arrayAt(word(d, 0)), values = arrayAt(word(d, 1));
  return ids && values && ids.length === values.length ? [ids, values] : undefined;
}

/** The token movements of a run's (emitted) logs. */
export function tokenTransfers(logs: Log[]): TokenTransfer[] {
  const out: TokenTransfer[] = [];
  for (const log of logs) {
    const e = decodeTokenEvent(log);
    if (e === undefined) continue;
    const a = e.args;
    if (e.event === "Transfer" && e.standard === "erc20") out.push({ standard: "erc20", token: log.address, from: a.from as Address, to: a.to as Address, amount: BigInt(a.value as string) });
    if (e.event === "Transfer" && e.standard === "erc721") out.push({ standard: "erc721", token: log.address, from: a.from as Address, to: a.to as Address, amount: 1n, tokenId: BigInt(a.tokenId as string) });
    if (e.event === "TransferSingle") out.push({ standard: "erc1155", token: log.address, from: a.from as Address, to: a.to as Address, amount: BigInt(a.value as string), tokenId: BigInt(a.id as string) });
    if (e.event === "TransferBatch") {
      const ids = a.ids as string[], values = a.values as string[];
      ids.forEach((id, i) => out.push({ standard: "erc1155", token: log.address, from: a.from as Address, to: a.to as Address, amount: BigInt(values[i]), tokenId: BigInt(id) }));
    }
  }
  return out;
}
