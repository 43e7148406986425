import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`); the tests fail, never skip, without it. */
export const CHROMIUM = "/usr/bin/chromium";

/** Without the background-networking flags Chromium keeps calling Google's services, which a closed network refuses. */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile, removed on close. */
export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`);
  const profile = mkdtempSync(join(tmpdir(), "edge-evm-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 860 } });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Every console error and uncaught exception of a page, to be checked as empty. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && errors.push(`console: ${m.text()} (${m.location().url})`)));
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

const NAMED_ROLES = new Set(["button", "link", "textbox", "searchbox", "combobox", "listbox", "checkbox", "radio", "spinbutton", "slider", "switch", "tab", "menuitem", "meter", "img", "region", "navigation"]);

/**
 * Controls without an accessible name, as Chromium's own accessibility tree computes names
 * (labels, aria-label, text content): each as `role` plus a bit of its HTML.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: { ignored: boolean; role?: { value: string }; name?: { value: string }; backendDOMNodeId?: number }[] };
  const out: string[] = [];
  for (const n of nodes) {
    const role = n.role?.value ?? "";
    if (n.ignored || !NAMED_ROLES.has(role) || (n.name?.value ?? "").trim() !== "") continue;
    const { outerHTML } = n.backendDOMNodeId === undefined ? { outerHTML: "?" } : ((await cdp.send("DOM.getOuterHTML", { backendNodeId: n.backendDOMNodeId })) as { outerHTML: string });
    out.push(`${role}: ${outerHTML.slice(0, 120)}`);
  }
  await cdp.detach();
  return out;
}

/** True when the page is wider than the window (a phone would scroll sideways). */
export function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate("document.documentElement.scrollWidth > window.innerWidth");
}
