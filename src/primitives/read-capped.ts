/**
 * A body as UTF-8 text, reading at most `cap` bytes: past that the stream is cancelled and
 * `tooBig()` is thrown, so an endless or oversized body is never held whole.
 */
export async function readCapped(body: ReadableStream<Uint8Array> | null, cap: number, tooBig: () => Error): Promise<string> {
  if (body === null) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    size += r.value.byteLength;
    if (size > cap) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(r.value);
  }
  const bytes = new Uint8Array(size);
  chunks.reduce((at, chunk) => (bytes.set(chunk, at), at + chunk.byteLength), 0);
  return new TextDecoder().decode(bytes);
}
