/** The API key lives in this tab's session storage only: closing the tab forgets it. */
const KEY = "edge-evm.apiKey";

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function signIn(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function signOut(): void {
  sessionStorage.clear();
}

/** A small value kept for this tab (e.g. a simulation's answer, by run id). */
export function remember(name: string, value: unknown): void {
  try {
    sessionStorage.setItem(`edge-evm.${name}`, JSON.stringify(value));
  } catch {
    // Storage full: the view still works, only a later visit cannot show it again.
  }
}

export function recall<T>(name: string): T | undefined {
  const raw = sessionStorage.getItem(`edge-evm.${name}`);
  return raw === null ? undefined : (JSON.parse(raw) as T);
}
