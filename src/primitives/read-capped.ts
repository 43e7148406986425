/**
 * Counts a body's bytes as they arrive: answers false once the count passed what is allowed.
 * A count shared by several bodies (one request's upstream answers read in parallel) holds their
 * sum, so together they never hold more than the limit plus one chunk each.
 */
export type ByteCount = (bytes: number) => boolean;

/** A count of its own for one body: at most `cap` bytes. */
export function upTo(cap: number): ByteCount {
  let size = 0;
  return (bytes) => (size += bytes) <= cap;
}

/**
 * A body as UTF-8 text, each chunk counted as it arrives: once `count` refuses one, the stream is
 * cancelled and `tooBig()` is thrown, so an endless or oversized body is never held whole.
 */
export async function readCapped(body: ReadableStream<Uint8Array> | null, count: ByteCount, tooBig: () => Error): Promise<string> {
  if (body === null) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    if (!count(r.value.byteLength)) {
      await reader.cancel();
      throw tooBig();
    }
    size += r.value.byteLength;
    chunks.push(r.value);
  }
  const bytes = new Uint8Array(size);
  chunks.reduce((at, chunk) => (bytes.set(chunk, at), at + chunk.byteLength), 0);
  return new TextDecoder().decode(bytes);
}
