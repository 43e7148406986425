/**
 * Structured logs: one JSON object per event, on one line, which Workers Logs (`[observability]`
 * in wrangler.toml) indexes field by field, so that a line can be found by its request id, project,
 * route or error code. Nothing secret goes in: an API key never, a project id and a route pattern only.
 */
export type LogLevel = "info" | "warn" | "error";

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export function logEvent(level: LogLevel, event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** The fields of a caught error: its name and message, and the stack of an unexpected one. */
export function errorFields(e: unknown): LogFields {
  if (!(e instanceof Error)) return { error: String(e) };
  return { errorName: e.name, error: e.message, stack: e.stack };
}
