import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { hexToBytes } from "../../primitives/hex.ts";
import { keccak256 } from "../../primitives/keccak.ts";
import { word, type Rng } from "./rng.ts";

/** Real code to mutate, with calldata that reaches into it (a function selector and arguments). */
export interface Seed {
  name: string;
  code: Uint8Array;
  calldata(r: Rng): Uint8Array;
}

interface AbiItem {
  type: string;
  name?: string;
  inputs?: { type: string }[];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

const wordBytes = (v: bigint) => hexToBytes(`0x${v.toString(16).padStart(64, "0")}`);

/** A compiled contract of test/contracts: its runtime code, called with one of its functions. */
function artifactSeed(name: string, artifact: { abi: AbiItem[]; deployedBytecode: string }): Seed | undefined {
  const fns = artifact.abi.filter((f) => f.type === "function" && f.inputs!.every((i) => !i.type.startsWith("tuple")));
  if (fns.length === 0 || artifact.deployedBytecode.length <= 2) return undefined;
  const selectors = fns.map((f) => ({ selector: keccak256(new TextEncoder().encode(`${f.name}(${f.inputs!.map((i) => i.type).join(",")})`)).slice(0, 4), args: f.inputs!.length }));
  return {
    name,
    code: hexToBytes(artifact.deployedBytecode),
    calldata: (r) => {
      const f = r.pick(selectors);
      return concat([f.selector, ...Array.from({ length: f.args }, () => wordBytes(r.chance(0.3) ? BigInt(r.int(1 << 20)) : word(r)))]);
    },
  };
}

/** A bench corpus contract with its own calldata; a trailing loop count is made small now and then. */
function corpusSeed(file: string): Seed {
  const w = JSON.parse(readFileSync(file, "utf8")) as { name: string; code: string; calldata: string };
  const data = hexToBytes(`0x${w.calldata}`);
  return {
    name: w.name,
    code: hexToBytes(`0x${w.code}`),
    calldata: (r) => {
      if (data.length < 36 || r.chance(0.5)) return data;
      return concat([data.slice(0, data.length - 32), wordBytes(BigInt(r.int(20)))]);
    },
  };
}

/** The bench corpus (when /work/shared is there) and the test contracts' artifacts. */
export function loadSeeds(root = "."): Seed[] {
  const seeds: Seed[] = [];
  const corpus = resolve(root, "../shared/bench/corpus");
  if (existsSync(corpus)) for (const f of readdirSync(corpus).filter((f) => f.endsWith(".json"))) seeds.push(corpusSeed(join(corpus, f)));
  const artifacts = resolve(root, "test/contracts");
  if (existsSync(artifacts)) {
    for (const f of readdirSync(artifacts).filter((f) => f.endsWith(".json"))) {
      const s = artifactSeed(f, JSON.parse(readFileSync(join(artifacts, f), "utf8")));
      if (s !== undefined) seeds.push(s);
    }
  }
  return seeds;
}

/** Real code with a few bytes changed, inserted or deleted. */
export function mutate(r: Rng, code: Uint8Array): Uint8Array {
  const out = Array.from(code);
  for (let i = 1 + r.int(4); i > 0; i--) {
    const at = r.int(out.length + 1), k = r.int(4);
    if (k === 0) out.splice(at, 0, r.int(256));
    else if (k === 1 && out.length > 1) out.splice(at, 1);
    else out[Math.min(at, out.length - 1)] = r.int(256);
  }
  return Uint8Array.from(out);
}
