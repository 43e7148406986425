import { Worker } from "node:worker_threads";
import type { FixtureFile } from "./files.ts";
import type { FromWorker, ToWorker, WorkerConfig } from "./protocol.ts";
import type { CaseResult, FileSummary } from "./run-file.ts";

export interface PoolOptions {
  files: FixtureFile[];
  jobs: number;
  config: WorkerConfig;
  /** 0: no limit. A case over the limit is failed and its worker replaced. */
  timeoutMs: number;
  onResult: (r: CaseResult) => void;
  onFileDone: (s: FileSummary) => void;
}

interface Slot {
  worker: Worker;
  file?: FixtureFile;
  current?: { index: number; case: Omit<CaseResult, "pass"> };
  timer?: ReturnType<typeof setTimeout>;
  /** Set once the pool has given up on this worker, so its exit is not a crash. */
  retired: boolean;
}

/** Runs files on `jobs` worker threads, handing out the next file whenever one is done. */
export function runPool(opts: PoolOptions): Promise<void> {
  const queue = [...opts.files];
  let live = 0;
  return new Promise((resolve) => {
    const start = (file?: FixtureFile, skip = 0) => {
      const slot: Slot = { worker: spawnWorker(opts.config), retired: false };
      live++;
      const next = () => {
        slot.current = undefined;
        slot.file = queue.shift();
        if (slot.file === undefined) return retire(slot);
        post(slot, { path: slot.file.path, rel: slot.file.rel, skip: 0 });
      };
      slot.worker.on("message", (m: FromWorker) => {
        // A result that was already in flight when the worker timed out is not counted twice.
        if (slot.retired) return;
        switch (m.kind) {
          case "ready":
            if (file === undefined) return next();
            slot.file = file;
            return post(slot, { path: file.path, rel: file.rel, skip });
          case "start":
            slot.current = { index: m.index, case: m.case };
            if (opts.timeoutMs > 0) slot.timer = setTimeout(() => timedOut(slot), opts.timeoutMs);
            return;
          case "result":
            clearTimeout(slot.timer);
            slot.current = undefined;
            return opts.onResult(m.result);
          case "file-done":
            opts.onFileDone(m.summary);
            return next();
        }
      });
      slot.worker.on("error", (e) => abandon(slot, `worker crashed: ${e.message}`));
      slot.worker.on("exit", (code) => {
        if (!slot.retired) abandon(slot, `worker exited with code ${code}`);
        if (--live === 0) resolve();
      });
    };

    const post = (slot: Slot, m: ToWorker) => slot.worker.postMessage(m);

    const retire = (slot: Slot) => {
      slot.retired = true;
      clearTimeout(slot.timer);
      void slot.worker.terminate();
    };

    const timedOut = (slot: Slot) => abandon(slot, `timed out after ${opts.timeoutMs} ms`);

    // Fail the case the worker was on, replace the worker and go on with the rest of its file.
    const abandon = (slot: Slot, why: string) => {
      if (slot.retired) return;
      retire(slot);
      const { file, current } = slot;
      if (file === undefined) {
        // It died before taking a file: a replacement would too, so give up on what is left.
        for (const f of queue.splice(0)) opts.onFileDone({ rel: f.rel, cases: 0, notRun: {}, skipped: why, error: true });
        return;
      }
      if (current === undefined) {
        opts.onFileDone({ rel: file.rel, cases: 0, notRun: {}, skipped: why, error: true });
        return start();
      }
      opts.onResult({ ...current.case, pass: false, reason: why });
      start(file, current.index + 1);
    };

    const n = Math.max(1, Math.min(opts.jobs, queue.length));
    for (let i = 0; i < n; i++) start();
  });
}

/**
 * Under tsx the worker is TypeScript, which a new thread cannot load until tsx registers its
 * loader there too (Node 20 does not pass the hooks on); a built copy loads the .js directly.
 */
function spawnWorker(config: WorkerConfig): Worker {
  const workerData = config;
  if (import.meta.url.endsWith(".ts")) {
    const url = new URL("./worker.ts", import.meta.url).href;
    const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
    return new Worker(boot, { eval: true, workerData });
  }
  return new Worker(new URL("./worker.js", import.meta.url), { workerData });
}
