import type { Frame } from "../../src/evm/frame.ts";
import { giveLimbs, NO_LIMBS, releaseLimbs } from "../../src/evm/pool.ts";

/** Takes every limb region of evm.wasm's memory the pool has left, as frames would take them. */
export function takeLimbRegions(): Frame[] {
  const taken: Frame[] = [];
  for (;;) {
    const f = { limbs: NO_LIMBS, limbsAt: -1 } as Frame;
    giveLimbs(f);
    if (f.limbsAt < 0) return taken;
    taken.push(f);
  }
}

/** Gives regions taken by takeLimbRegions back. */
export function giveBackLimbRegions(taken: Frame[]): void {
  for (const f of taken) releaseLimbs(f);
}
