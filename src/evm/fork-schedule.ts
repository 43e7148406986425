import { Fork, forkFromName } from "./fork.ts";

/**
 * When a network switched to each fork's rules: by block number (until the Merge), by timestamp
 * (after it), or, for Paris on a chain configured only with a terminal total difficulty, by the
 * first block of difficulty 0.
 */
export interface ForkActivation {
  fork: Fork;
  block?: bigint;
  timestamp?: bigint;
  /** Paris by terminal total difficulty: active from the first block whose difficulty is 0. */
  byDifficulty?: boolean;
}

/** A blob-parameter change (EIP-7892: the BPO forks), in force from `timestamp`. */
export interface BlobParams {
  timestamp: bigint;
  max: number;
  updateFraction: bigint;
}

export interface ForkSchedule {
  /** In activation order; the first entry is in force from genesis. */
  readonly forks: readonly ForkActivation[];
  /** Blob parameters other than the fork's own, by timestamp, oldest first. */
  readonly blobs: readonly BlobParams[];
}

/** What of a block decides its fork (a header has all three). */
export interface BlockRef {
  number: bigint;
  timestamp: bigint;
  /** Absent: taken as post-Merge only when the schedule says so by block or timestamp. */
  difficulty?: bigint;
}

const at = (fork: Fork, block: number): ForkActivation => ({ fork, block: BigInt(block) });
const from = (fork: Fork, timestamp: number): ForkActivation => ({ fork, timestamp: BigInt(timestamp) });

/** Ethereum mainnet (chain id 1): blocks before the Merge, timestamps after. */
export const MAINNET: ForkSchedule = {
  forks: [
    at(Fork.Frontier, 0),
    at(Fork.Homestead, 1_150_000),
    at(Fork.TangerineWhistle, 2_463_000),
    at(Fork.SpuriousDragon, 2_675_000),
    at(Fork.Byzantium, 4_370_000),
    // Constantinople went live together with Petersburg, which removed EIP-1283.
    at(Fork.Petersburg, 7_280_000),
    at(Fork.Istanbul, 9_069_000),
    at(Fork.Berlin, 12_244_000),
    at(Fork.London, 12_965_000),
    at(Fork.Paris, 15_537_394),
    from(Fork.Shanghai, 1_681_338_455),
    from(Fork.Cancun, 1_710_338_135),
    from(Fork.Prague, 1_746_612_311),
    from(Fork.Osaka, 1_764_798_551),
  ],
  blobs: [
    { timestamp: 1_765_290_071n, max: 15, updateFraction: 8_346_193n }, // BPO1
    { timestamp: 1_767_747_671n, max: 21, updateFraction: 11_684_671n }, // BPO2
  ],
};

const BPO1 = { max: 15, updateFraction: 8_346_193n };
const BPO2 = { max: 21, updateFraction: 11_684_671n };

/** A test network: every fork up to London (and Paris when `merge` is 0) at genesis, then by time. */
function testnet(merge: number, times: [Fork, number][], bpo: [number, number]): ForkSchedule {
  return {
    forks: [at(Fork.London, 0), at(Fork.Paris, merge), ...times.map(([f, t]) => from(f, t))],
    blobs: [{ timestamp: BigInt(bpo[0]), ...BPO1 }, { timestamp: BigInt(bpo[1]), ...BPO2 }],
  };
}

export const SEPOLIA = testnet(1_450_409, [[Fork.Shanghai, 1_677_557_088], [Fork.Cancun, 1_706_655_072], [Fork.Prague, 1_741_159_776], [Fork.Osaka, 1_760_427_360]], [1_761_017_184, 1_761_607_008]);
export const HOLESKY = testnet(0, [[Fork.Shanghai, 1_696_000_704], [Fork.Cancun, 1_707_305_664], [Fork.Prague, 1_740_434_112], [Fork.Osaka, 1_759_308_480]], [1_759_800_000, 1_760_389_824]);
export const HOODI = testnet(0, [[Fork.Shanghai, 0], [Fork.Cancun, 0], [Fork.Prague, 1_742_999_832], [Fork.Osaka, 1_761_677_592]], [1_762_365_720, 1_762_955_544]);

/** The schedule of a public Ethereum network by chain id; other chains need their configuration. */
export function scheduleOfChain(chainId: bigint): ForkSchedule | undefined {
  return ({ 1: MAINNET, 11155111: SEPOLIA, 17000: HOLESKY, 560048: HOODI } as Record<string, ForkSchedule>)[chainId.toString()];
}

function active(a: ForkActivation, b: BlockRef): boolean {
  if (a.block !== undefined) return b.number >= a.block;
  if (a.timestamp !== undefined) return b.timestamp >= a.timestamp;
  return a.byDifficulty === true && b.difficulty === 0n;
}

/** The rules a block of that network runs under. */
export function forkOfBlock(schedule: ForkSchedule, block: BlockRef): Fork {
  let fork: Fork = Fork.Frontier;
  for (const a of schedule.forks) if (active(a, block) && a.fork > fork) fork = a.fork;
  return fork;
}

/** Blob parameters a block runs with when the schedule overrides its fork's own, else undefined. */
export function blobParamsOfBlock(schedule: ForkSchedule, block: BlockRef): BlobParams | undefined {
  let params: BlobParams | undefined;
  for (const p of schedule.blobs) if (block.timestamp >= p.timestamp) params = p;
  return params;
}

export class ForkScheduleError extends Error {
  override name = "Evm.ForkScheduleError";
}

/** geth's chain-config keys (also what Anvil, Hardhat and ethereumjs read) and the forks they name. */
const GETH_KEYS: Record<string, Fork> = {
  homesteadBlock: Fork.Homestead,
  daoForkBlock: Fork.Homestead,
  eip150Block: Fork.TangerineWhistle,
  eip155Block: Fork.SpuriousDragon,
  eip158Block: Fork.SpuriousDragon,
  byzantiumBlock: Fork.Byzantium,
  constantinopleBlock: Fork.Constantinople,
  petersburgBlock: Fork.Petersburg,
  istanbulBlock: Fork.Istanbul,
  muirGlacierBlock: Fork.Istanbul,
  berlinBlock: Fork.Berlin,
  londonBlock: Fork.London,
  arrowGlacierBlock: Fork.London,
  grayGlacierBlock: Fork.London,
  mergeNetsplitBlock: Fork.Paris,
  mergeForkBlock: Fork.Paris,
  shanghaiTime: Fork.Shanghai,
  cancunTime: Fork.Cancun,
  pragueTime: Fork.Prague,
  osakaTime: Fork.Osaka,
};

function toBigInt(v: unknown, key: string): bigint {
  if (typeof v === "bigint" && v >= 0n) return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) return BigInt(v);
  throw new ForkScheduleError(`${key}: expected a block number or timestamp, got ${JSON.stringify(v)}`);
}

/**
 * A network's schedule from its configuration, in either form:
 * - geth's chain config (`homesteadBlock` … `londonBlock`, `mergeNetsplitBlock` or
 *   `terminalTotalDifficulty`, `shanghaiTime` … `osakaTime`, `blobSchedule` with `bpo1Time` …);
 * - fork names to activations: `{ "london": 12965000, "shanghai": { "timestamp": 1681338455 } }`.
 *   A bare number is a block for forks up to Paris and a timestamp after it.
 * Keys it does not know (chainId, ethash, …) are ignored; a fork never named is never active.
 * Without `petersburgBlock`, Petersburg starts with Constantinople, as geth has it.
 */
export function parseForkSchedule(config: Record<string, unknown>): ForkSchedule {
  const forks: ForkActivation[] = [{ fork: Fork.Frontier, block: 0n }];
  for (const [key, value] of Object.entries(config)) {
    if (value === null || value === undefined) continue;
    const geth = GETH_KEYS[key];
    if (geth !== undefined) {
      const n = toBigInt(value, key);
      forks.push(key.endsWith("Time") ? { fork: geth, timestamp: n } : { fork: geth, block: n });
      continue;
    }
    const fork = forkFromName(key);
    if (fork === undefined) continue;
    if (typeof value === "object" && !Array.isArray(value)) {
      const o = value as { block?: unknown; timestamp?: unknown };
      if (o.block !== undefined) forks.push({ fork, block: toBigInt(o.block, `${key}.block`) });
      else if (o.timestamp !== undefined) forks.push({ fork, timestamp: toBigInt(o.timestamp, `${key}.timestamp`) });
      else throw new ForkScheduleError(`${key}: give a block or a timestamp`);
    } else {
      const n = toBigInt(value, key);
      forks.push(fork > Fork.Paris ? { fork, timestamp: n } : { fork, block: n });
    }
  }
  const named = new Set(forks.map((a) => a.fork));
  const constantinople = forks.find((a) => a.fork === Fork.Constantinople);
  if (constantinople !== undefined && !named.has(Fork.Petersburg)) forks.push({ ...constantinople, fork: Fork.Petersburg });
  if (config.terminalTotalDifficulty !== undefined && config.terminalTotalDifficulty !== null && !named.has(Fork.Paris)) {
    forks.push({ fork: Fork.Paris, byDifficulty: true });
  }
  return { forks, blobs: blobSchedule(config) };
}

/** geth's `blobSchedule.bpoN` entries with their `bpoNTime`. */
function blobSchedule(config: Record<string, unknown>): BlobParams[] {
  const schedule = config.blobSchedule as Record<string, { max?: unknown; baseFeeUpdateFraction?: unknown }> | undefined;
  if (schedule === undefined || schedule === null || typeof schedule !== "object") return [];
  const out: BlobParams[] = [];
  for (const [name, p] of Object.entries(schedule)) {
    const time = config[`${name}Time`];
    if (!/^bpo\d+$/.test(name) || time === undefined || time === null) continue;
    out.push({ timestamp: toBigInt(time, `${name}Time`), max: Number(toBigInt(p.max, `blobSchedule.${name}.max`)), updateFraction: toBigInt(p.baseFeeUpdateFraction, `blobSchedule.${name}.baseFeeUpdateFraction`) });
  }
  return out.sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
}
