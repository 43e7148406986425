import { readdirSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";

export interface FixtureFile {
  path: string;
  /** Path relative to the directory given on the command line (or the file's name), `/`-separated. */
  rel: string;
}

/** Every `.json` file under the given files and directories, sorted for a stable order. */
export function collectFixtureFiles(args: string[]): FixtureFile[] {
  const out: FixtureFile[] = [];
  for (const arg of args) {
    if (statSync(arg).isDirectory()) {
      for (const path of walk(arg)) out.push({ path, rel: relative(arg, path).split(sep).join("/") });
    } else {
      out.push({ path: arg, rel: basename(arg) });
    }
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile() && entry.name.endsWith(".json")) out.push(path);
  }
  return out;
}

/** How a case is named in reports: the file, and the test when it is not named after the file. */
export function caseLabel(rel: string, test: string): string {
  const stem = rel.replace(/\.json$/, "");
  return basename(stem) === test ? stem : `${stem}:${test}`;
}
