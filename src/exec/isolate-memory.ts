/**
 * EVM memory shared by every run of this isolate. A Worker isolate has 128 MB and serves many
 * requests at once: each run suspended on a load keeps its memory, so a few hostile runs at
 * their 32 MiB cap could together take the isolate (and every other tenant's requests in it)
 * down. Their growth draws from this pool; when it is spent, the run that asked halts with
 * `isolate_memory` (503 `isolate_busy`, retry), charged for the gas it used. 64 MiB leaves the
 * rest of the isolate for the code, caches, traces (16 MiB per request) and answers.
 */
export const ISOLATE_MEMORY_BYTES = 64 * 1024 * 1024;

export const isolateMemory = { left: ISOLATE_MEMORY_BYTES };
