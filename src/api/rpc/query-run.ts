import type { RunContext } from "../../exec/context.ts";
import { logged } from "../../exec/run-log.ts";
import { latestNumber } from "./chain-data.ts";

/**
 * A read that does real work in D1 (logs, receipts, fee history, filter reads) as a run of kind
 * `query`: charged its price (PRICE_QUERY), held by admission like every run (the admission plan
 * lists these methods), and logged, whether it answers or fails.
 */
export function queryRun<T>(ctx: RunContext, work: () => Promise<T>): Promise<T> {
  return logged(ctx, { kind: "query", to: null, data: new Uint8Array(0), gasLimit: 0n }, async () => {
    const value = await work();
    return { value, end: { status: "success", errorCode: null, blockNumber: latestNumber(ctx) } };
  });
}
