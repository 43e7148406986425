import { assemble, type Program } from "./generate.ts";

/** Whether a candidate still shows a divergence (its description), or undefined. */
export type Check = (code: Uint8Array, calldata: Uint8Array) => Promise<string | undefined>;

/** Drops segments while the program still diverges, pass after pass, until none can go. */
export async function shrinkProgram(p: Program, calldata: Uint8Array, check: Check): Promise<Program> {
  let best = p;
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = best.segments.length - 1; i >= 0; i--) {
      const candidate = { ...best, segments: best.segments.filter((_, k) => k !== i) };
      if ((await check(assemble(candidate), calldata)) !== undefined) {
        best = candidate;
        changed = true;
      }
    }
  }
  return best;
}

/** Delta debugging on bytes: removes ever smaller chunks while `still` holds. */
export async function shrinkBytes(bytes: Uint8Array, still: (b: Uint8Array) => Promise<boolean>): Promise<Uint8Array> {
  let best = bytes;
  for (let chunk = Math.max(1, best.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let at = 0; at < best.length; ) {
      const candidate = Uint8Array.from([...best.subarray(0, at), ...best.subarray(at + chunk)]);
      if (await still(candidate)) best = candidate;
      else at += chunk;
    }
  }
  return best;
}

/** The smallest code, then the smallest calldata, that still diverge. */
export async function shrinkCase(code: Uint8Array, calldata: Uint8Array, check: Check): Promise<{ code: Uint8Array; calldata: Uint8Array }> {
  const smallCode = await shrinkBytes(code, async (c) => (await check(c, calldata)) !== undefined);
  const smallData = await shrinkBytes(calldata, async (d) => (await check(smallCode, d)) !== undefined);
  return { code: smallCode, calldata: smallData };
}
