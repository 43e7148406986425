/**
 * Hardforks this EVM implements, as ordered numbers so that "since Prague" is `fork >= Fork.Prague`.
 * Osaka is the service's default.
 */
export const Fork = { Cancun: 0, Prague: 1, Osaka: 2 } as const;
export type Fork = (typeof Fork)[keyof typeof Fork];

export const FORK_NAMES: Record<Fork, string> = { 0: "Cancun", 1: "Prague", 2: "Osaka" };

export function forkFromName(name: string): Fork | undefined {
  const key = Object.keys(Fork).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : Fork[key as keyof typeof Fork];
}

export const DEFAULT_FORK: Fork = Fork.Osaka;
