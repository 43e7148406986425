/**
 * The GeneralStateTests JSON format (ethereum/tests and execution-spec-tests). All numbers are
 * hex strings; `transaction` holds arrays that each post entry indexes into.
 */

export interface FixtureAccount {
  balance: string;
  nonce: string;
  code: string;
  storage: Record<string, string>;
}

export interface FixtureAccessListItem {
  address: string;
  storageKeys: string[];
}

export interface FixtureAuthorization {
  chainId: string;
  address: string;
  nonce: string;
  v?: string;
  yParity?: string;
  r: string;
  s: string;
}

export interface FixtureTransaction {
  data: string[];
  gasLimit: string[];
  value: string[];
  nonce: string;
  /** `""` creates a contract. */
  to: string;
  sender?: string;
  secretKey?: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  /** One per data index; absent or null where that variant has no access list. */
  accessLists?: (FixtureAccessListItem[] | null)[];
  blobVersionedHashes?: string[];
  maxFeePerBlobGas?: string;
  authorizationList?: FixtureAuthorization[];
}

export interface FixtureEnv {
  currentCoinbase: string;
  currentGasLimit: string;
  currentNumber: string;
  currentTimestamp: string;
  currentDifficulty?: string;
  currentRandom?: string;
  currentBaseFee?: string;
  currentExcessBlobGas?: string;
}

export interface Indexes {
  data: number;
  gas: number;
  value: number;
}

export interface PostEntry {
  hash: string;
  logs: string;
  indexes: Indexes;
  expectException?: string;
  txbytes?: string;
  /** The expected post state, in newer fixtures: what makes a root mismatch debuggable. */
  state?: Record<string, FixtureAccount>;
}

export interface BlobScheduleEntry {
  target?: string;
  max: string;
  baseFeeUpdateFraction: string;
}

export interface StateTest {
  env: FixtureEnv;
  pre: Record<string, FixtureAccount>;
  transaction: FixtureTransaction;
  post: Record<string, PostEntry[]>;
  config?: { chainid?: string; blobSchedule?: Record<string, BlobScheduleEntry> };
}

export type StateTestFile = Record<string, StateTest>;

/** Whether parsed JSON looks like a state-test file (other JSON in a fixture tree is skipped). */
export function isStateTestFile(json: unknown): json is StateTestFile {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return false;
  const tests = Object.values(json);
  return tests.length > 0 && tests.every((t) => typeof t === "object" && t !== null && "pre" in t && "transaction" in t && "post" in t && "env" in t);
}
