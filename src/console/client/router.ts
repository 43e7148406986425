/** Pages live under /console/… (the Worker answers every such path with the same shell). */
export const BASE = "/console";

export interface Place {
  path: string;
  query: URLSearchParams;
  /** What a page handed to the next one (history state: kept on reload, not in the URL). */
  state: unknown;
}

type Listener = (p: Place) => void;
let listener: Listener = () => {};

function place(): Place {
  return { path: location.pathname.slice(BASE.length).replace(/\/$/, "") || "/", query: new URLSearchParams(location.search), state: history.state };
}

export function navigate(to: string, state: unknown = null, replace = false): void {
  const url = to.startsWith(BASE) ? to : `${BASE}${to}`;
  if (replace) history.replaceState(state, "", url);
  else history.pushState(state, "", url);
  listener(place());
}

/** Follows in-app links without reloading; other links (and modified clicks) behave as usual. */
export function start(onPlace: Listener): void {
  listener = onPlace;
  addEventListener("popstate", () => listener(place()));
  document.addEventListener("click", (e) => {
    const a = (e.target as Element | null)?.closest?.("a");
    if (a === null || a === undefined || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(BASE) || a.target !== "") return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
  listener(place());
}

export const href = (path: string) => `${BASE}${path}`;
