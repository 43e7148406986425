/** The default cap on what one request's traces may produce: 16 MiB of JSON. */
export const TRACE_BYTES_CAP = 16 * 1024 * 1024;

/**
 * What a request's tracers have produced so far, counted as they go and before they build it:
 * the bytes of the JSON they will answer and the struct log's steps. It is live, so the caller
 * can read it while the run goes (say, to bound the trace buffers of concurrent runs), and one
 * meter may serve several runs (a simulated bundle): its cap bounds their sum.
 *
 * A tracer asks before it builds a piece; once a piece would pass the cap the meter is `over`,
 * the tracers build nothing more, and the run stops with `trace_cap` (Inspector.stop).
 */
export class TraceMeter {
  /** JSON bytes produced (never above the cap). */
  bytes = 0;
  /** Struct log entries produced. */
  steps = 0;
  over = false;

  constructor(readonly cap: number = TRACE_BYTES_CAP) {}

  /** Counts `n` more bytes; false, and over from then on, when that would pass the cap. */
  add(n: number): boolean {
    if (this.over) return false;
    if (this.bytes + n > this.cap) {
      this.over = true;
      return false;
    }
    this.bytes += n;
    return true;
  }

  /** Gives back bytes counted for a piece that will not be built after all. */
  release(n: number): void {
    this.bytes -= n;
  }

  /** What the run's inspectors show the EVM: stop once over. */
  get stop(): "trace_cap" | undefined {
    return this.over ? "trace_cap" : undefined;
  }
}
