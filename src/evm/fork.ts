/**
 * Hardforks of Ethereum mainnet that changed the EVM or the transaction rules, as ordered numbers
 * so that "since Berlin" is `fork >= Fork.Berlin`. Forks that only moved the difficulty bomb or
 * the block reward (DAO, Muir Glacier, Arrow Glacier, Gray Glacier) run the rules of the fork
 * before them and have no number of their own; `forkFromName` accepts their names.
 * Osaka is the service's default.
 */
export const Fork = {
  Frontier: 0,
  Homestead: 1,
  /** EIP-150. */
  TangerineWhistle: 2,
  /** EIP-155, 158 (161), 160, 170. */
  SpuriousDragon: 3,
  Byzantium: 4,
  /** With EIP-1283 net gas metering, never live on mainnet (Petersburg replaced it at the same block). */
  Constantinople: 5,
  /** ConstantinopleFix: Constantinople without EIP-1283. */
  Petersburg: 6,
  Istanbul: 7,
  Berlin: 8,
  London: 9,
  /** The Merge. */
  Paris: 10,
  Shanghai: 11,
  Cancun: 12,
  Prague: 13,
  Osaka: 14,
} as const;
export type Fork = (typeof Fork)[keyof typeof Fork];

export const ALL_FORKS: readonly Fork[] = Object.values(Fork);

/** Each fork's name as the EF state tests spell it (post-state keys). */
export const FORK_NAMES: Record<Fork, string> = {
  0: "Frontier",
  1: "Homestead",
  2: "EIP150",
  3: "EIP158",
  4: "Byzantium",
  5: "Constantinople",
  6: "ConstantinopleFix",
  7: "Istanbul",
  8: "Berlin",
  9: "London",
  10: "Paris",
  11: "Shanghai",
  12: "Cancun",
  13: "Prague",
  14: "Osaka",
};

/** Other names of the same rules: the upgrades' names, and the bomb-only forks. */
const ALIASES: Record<string, Fork> = {
  chainstart: Fork.Frontier,
  dao: Fork.Homestead,
  daofork: Fork.Homestead,
  tangerinewhistle: Fork.TangerineWhistle,
  spuriousdragon: Fork.SpuriousDragon,
  eip155: Fork.SpuriousDragon,
  petersburg: Fork.Petersburg,
  muirglacier: Fork.Istanbul,
  arrowglacier: Fork.London,
  grayglacier: Fork.London,
  merge: Fork.Paris,
  mergenetsplit: Fork.Paris,
  bellatrix: Fork.Paris,
  capella: Fork.Shanghai,
  deneb: Fork.Cancun,
  electra: Fork.Prague,
  fulu: Fork.Osaka,
  fusaka: Fork.Osaka,
  pectra: Fork.Prague,
  dencun: Fork.Cancun,
};

const BY_NAME = new Map<string, Fork>();
for (const [key, n] of Object.entries(Fork)) BY_NAME.set(key.toLowerCase(), n);
for (const f of ALL_FORKS) BY_NAME.set(FORK_NAMES[f].toLowerCase(), f);
for (const [name, f] of Object.entries(ALIASES)) BY_NAME.set(name, f);

/** The fork of a name, in any case, with or without spaces, dashes or underscores. */
export function forkFromName(name: string): Fork | undefined {
  return BY_NAME.get(name.toLowerCase().replace(/[\s_-]/g, ""));
}

export const DEFAULT_FORK: Fork = Fork.Osaka;
