/**
 * `npm run dev`'s port: `--port N` or `--port=N` among its arguments (taken out, since dev passes
 * the port to `wrangler dev` itself, which refuses two), else `PORT`, else 8787. Other arguments
 * go to `wrangler dev` as they are.
 */
export function portOf(args: string[], env: { PORT?: string } = process.env): { port: string; rest: string[] } {
  let port = env.PORT ?? "8787";
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--port" && i + 1 < args.length) port = args[++i];
    else if (args[i].startsWith("--port=")) port = args[i].slice("--port=".length);
    else rest.push(args[i]);
  }
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) throw new Error(`--port or PORT must be a TCP port number, not "${port}"`);
  return { port, rest };
}
