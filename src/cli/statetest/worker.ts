import { parentPort, workerData } from "node:worker_threads";
import { runFile } from "./run-file.ts";
import type { FromWorker, ToWorker, WorkerConfig } from "./protocol.ts";

// One worker thread: runs the files the pool hands it, one at a time, streaming every result.
const config = workerData as WorkerConfig;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const filter = config.filter === undefined ? undefined : new RegExp(config.filter);

port.on("message", (m: ToWorker) => {
  const summary = runFile(m.path, m.rel, {
    forks: config.forks,
    filter,
    skip: m.skip,
    onStart: (index, c) => send({ kind: "start", index, case: c }),
    onResult: (result) => send({ kind: "result", result }),
  });
  send({ kind: "file-done", summary });
});
send({ kind: "ready" });
