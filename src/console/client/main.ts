import { ApiError } from "./api.ts";
import { h, replace } from "./dom.ts";
import { keysPage } from "./pages/keys.ts";
import type { Page } from "./pages/page.ts";
import { runPage } from "./pages/run.ts";
import { runsPage } from "./pages/runs.ts";
import { signInPage } from "./pages/sign-in.ts";
import { simulatePage } from "./pages/simulate.ts";
import { usagePage } from "./pages/usage.ts";
import { href, navigate, start, type Place } from "./router.ts";
import { apiKey, signOut } from "./session.ts";
import { notice } from "./views/table.ts";

/** Path patterns, page, title and the nav entry it belongs to. */
const ROUTES: [RegExp, Page, string, string][] = [
  [/^\/runs$/, runsPage, "Runs", "/runs"],
  [/^\/runs\/([^/]+)$/, runPage, "Run", "/runs"],
  [/^\/simulate$/, simulatePage, "Simulate", "/simulate"],
  [/^\/usage$/, usagePage, "Usage", "/usage"],
  [/^\/keys$/, keysPage, "Keys", "/keys"],
];
const NAV = [["/runs", "Runs"], ["/simulate", "Simulate"], ["/usage", "Usage"], ["/keys", "Keys"]];

const main = document.getElementById("main")!;
const nav = document.getElementById("nav")!;

function drawNav(current: string | undefined): void {
  if (apiKey() === null) return replace(nav);
  replace(
    nav,
    h("ul", {}, NAV.map(([path, label]) => h("li", {}, h("a", { href: href(path), "aria-current": path === current ? "page" : undefined }, label)))),
    h("button", { type: "button", class: "secondary", onclick: () => { signOut(); navigate("/sign-in"); } }, "Sign out"),
  );
}

/** Draws the page of a place; a failed request shows its code and message in place of the page. */
async function show(p: Place): Promise<void> {
  if (apiKey() === null && p.path !== "/sign-in") return navigate("/sign-in", null, true);
  if (p.path === "/" || (p.path === "/sign-in" && apiKey() !== null)) return navigate("/runs", null, true);
  const route = p.path === "/sign-in" ? undefined : ROUTES.find(([re]) => re.test(p.path));
  drawNav(route?.[3]);
  document.title = `${route?.[2] ?? (p.path === "/sign-in" ? "Sign in" : "Not found")} · edge-evm console`;
  // Each page draws into its own element: a slow page left behind draws into a detached one.
  const root = h("div", {});
  replace(main, root);
  try {
    if (p.path === "/sign-in") signInPage({ ...p, root, params: [] });
    else if (route === undefined) replace(root, h("h1", {}, "Not found"), notice("error", `No console page at ${p.path}.`));
    else await route[1]({ ...p, root, params: route[0].exec(p.path)!.slice(1) });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && root.isConnected) {
      signOut();
      return navigate("/sign-in", null, true);
    }
    root.append(notice("error", err instanceof ApiError ? `${err.code}: ${err.message}` : String(err)));
  }
  // Screen readers start at the new page's heading.
  const heading = root.querySelector("h1");
  if (heading !== null && root.isConnected) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

start((p) => void show(p));
