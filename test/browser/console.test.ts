import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { toFunctionSelector } from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEV_KEY } from "../../scripts/dev-project.ts";
import { collectErrors, launch, overflowsSideways, unnamedControls, type Browser } from "./chromium.ts";
import { CALLER_ABI, makeData, PAYEE, type Made } from "./data.ts";
import { startDevServer, type DevServer } from "../../scripts/dev-server.ts";

/** Screenshots of every page, written by each run (docs/ keeps two of them for the README). */
const SHOTS = new URL("./screenshots/", import.meta.url).pathname;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };

let server: DevServer;
let browser: Browser;
let page: Page;
let errors: string[];
let made: Made;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [server, browser] = await Promise.all([startDevServer(), launch()]);
  made = await makeData(server.url);
  page = await browser.context.newPage();
  errors = collectErrors(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

afterEach((ctx) => {
  if (ctx.task.result?.state === "fail") console.log(server.log().slice(-4000));
  expect(errors, "console errors").toEqual([]);
});

/** Checks that hold on every page: controls named, nothing wider than the window, then a screenshot. */
async function checkPage(name: string): Promise<void> {
  expect(await unnamedControls(page), `unnamed controls on ${name}`).toEqual([]);
  expect(await overflowsSideways(page), `${name} overflows sideways`).toBe(false);
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

const main = () => page.locator("main");

describe("the web console in Chromium", () => {
  it("signs in with a key kept in the tab's session storage", async () => {
    await page.goto(`${server.url}/console/`);
    await expect.poll(() => page.url()).toContain("/console/sign-in");
    await checkPage("sign-in");
    await page.getByLabel("API key").fill(DEV_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await main().getByRole("heading", { name: "Runs" }).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('edge-evm.apiKey')")).toBe(DEV_KEY);
    expect(await page.evaluate("localStorage.length")).toBe(0);
  });

  it("lists runs newest first with cost, gas, status, duration and time; filters and pages", async () => {
    const rows = main().locator("tbody tr");
    await rows.first().waitFor();
    // deploy, 2 increments, revert, deploy, call (callee()), everything(): newest first.
    expect(await rows.locator("td:nth-child(2)").allTextContents()).toEqual(["send", "call", "deploy", "send", "send", "send", "deploy"]);
    expect(await rows.nth(0).locator("td").allTextContents()).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/), "send", "success", expect.stringContaining("…"), toFunctionSelector("everything(address)"), expect.stringMatching(/^[\d,]+$/), expect.stringMatching(/^0\.\d+$/), expect.stringMatching(/ (ms|s)$/)]);
    await checkPage("runs");

    await page.getByLabel("Kind").selectOption("send");
    await page.getByLabel("Status").selectOption("reverted");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(page.url()).toContain("kind=send&status=reverted");
    expect(await rows.first().locator("td:nth-child(3)").textContent()).toBe("reverted");

    await page.goto(`${server.url}/console/runs?contract=${made.counter}`);
    await expect.poll(() => rows.count()).toBe(4);
    // Twenty a page: make more runs than fit, then follow "Older runs".
    await Promise.all(Array.from({ length: 14 }, () => fetch(`${server.url}/v1/call`, { method: "POST", headers: { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json" }, body: JSON.stringify({ to: made.counter, data: "0x06661abd" }) })));
    // The run log in D1 follows the answers by the queue's delivery (about a second): reload until it has them.
    await expect.poll(async () => (await page.goto(`${server.url}/console/runs`), await rows.first().waitFor(), rows.count()), { timeout: 15_000 }).toBe(20);
    await page.getByRole("link", { name: "Older runs" }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator("td:nth-child(2)").textContent()).toBe("deploy");
    await page.getByRole("link", { name: "Newest runs" }).click();
    await expect.poll(() => rows.count()).toBe(20);
  });

  it("shows a committed transaction: call tree that expands, transfers, asset changes, state diff, raw JSON", async () => {
    await page.goto(`${server.url}/console/runs/${made.everything}`);
    const tree = main().locator(".call-tree");
    await tree.waitFor();
    const root = tree.locator("details[data-depth='0']");
    expect(await root.getAttribute("open")).toBe("");
    // The root's callees are listed; their own callees are folded until opened.
    const firstCall = tree.locator("details[data-depth='1']").first();
    await expect.poll(() => firstCall.locator("summary").textContent()).toMatch(/CALL.*→.*1 wei.*gas.*ok/);
    const deep = tree.locator("details[data-depth='1'] > .call-body");
    expect(await deep.first().isVisible()).toBe(false);
    await firstCall.locator("summary").click();
    expect(await deep.first().isVisible()).toBe(true);
    // The caught revert of Callee.fail("nope") inside the tree, with its reason.
    await expect.poll(() => tree.locator(".call.failed summary").first().textContent()).toContain("execution reverted: nope");

    const changes = main().getByRole("region", { name: "Net asset changes" });
    const text = await changes.textContent();
    expect(text).toContain("-5 wei");
    expect(text).toContain("+2 wei");
    expect(await changes.locator("tbody tr").count()).toBe(4);
    // Ether sent in (5), to the Callee (1) and to the payee (2); the CREATE moves none.
    expect(await main().getByRole("region", { name: "Token and ether transfers" }).locator("tbody tr").count()).toBe(3);
    expect(await main().locator(".diff").count()).toBeGreaterThanOrEqual(3);
    expect(await main().locator(".diff").filter({ hasText: PAYEE }).textContent()).toContain("0 ETH → 2 wei");
    await main().getByText("Raw JSON").click();
    expect(await main().locator(".raw pre").textContent()).toContain('"prestateTracer"');
    await checkPage("run-detail");
  });

  it("shows the revert reason of a reverted send", async () => {
    await page.goto(`${server.url}/console/runs/${made.reverted}`);
    const reason = main().locator(".revert");
    await reason.waitFor();
    expect(await reason.textContent()).toBe("execution reverted: too early");
    expect(await main().locator(".call-tree summary").first().textContent()).toContain("execution reverted: too early");
    await checkPage("run-reverted");
  });

  it("simulates a bundle built from an ABI: nested calls, asset changes, a nested revert; re-simulates a run", async () => {
    await page.goto(`${server.url}/console/simulate`);
    await page.getByLabel("Contract ABI (JSON)").fill(JSON.stringify(CALLER_ABI));
    const tx1 = page.getByRole("group", { name: "Transaction 1" });
    await tx1.getByLabel("To (empty: deploy the calldata)").fill(made.caller);
    await tx1.getByLabel("Value (wei)").fill("10");
    await tx1.getByLabel("Function").selectOption("everything(address)");
    await tx1.getByLabel("payee (address)").fill(PAYEE);
    await page.getByRole("button", { name: "Add transaction" }).click();
    // Adding a transaction keeps what the first one says, as typed.
    expect(await tx1.getByLabel("Function").inputValue()).toBe("everything(address)");
    expect(await tx1.getByLabel("payee (address)").inputValue()).toBe(PAYEE);
    expect(await tx1.getByLabel("Calldata (hex)").isVisible()).toBe(false);
    const tx2 = page.getByRole("group", { name: "Transaction 2" });
    await tx2.getByLabel("To (empty: deploy the calldata)").fill(made.caller);
    await tx2.getByLabel("Function").selectOption("deepRevert(uint256)");
    await tx2.getByLabel("depth (uint256)").fill("2");
    await page.getByRole("button", { name: "Simulate", exact: true }).click();

    const result = main().locator(".result");
    await result.getByRole("heading", { name: "Transaction 2 of 2" }).waitFor();
    const [first, second] = [result.locator(".execution").nth(0), result.locator(".execution").nth(1)];
    expect(await first.locator(".status").first().textContent()).toBe("success");
    expect(await first.getByRole("region", { name: "Net asset changes" }).textContent()).toContain("-10 wei");
    // Events of the ABI named by their topic.
    expect(await first.getByRole("region", { name: "Events emitted" }).textContent()).toContain("Done(uint256)");
    // Functions named from the ABI in the tree.
    expect(await first.locator(".call-tree summary").first().textContent()).toContain("everything(address)");
    expect(await second.locator(".revert").textContent()).toBe("execution reverted: bottom of the call tree");
    // deepRevert(2): Caller → Callee.deep(2) → deep(1) → deep(0), which reverts: four levels to open.
    await second.getByRole("button", { name: "Expand all" }).click();
    expect(await second.locator(".call-tree details[data-depth='3'] summary").textContent()).toContain("execution reverted: bottom of the call tree");
    await checkPage("simulate");

    // The simulation is kept for this tab under its run id; its run page shows it again.
    await result.getByRole("link", { name: /^run_/ }).click();
    await main().getByRole("heading", { name: "Transaction 2 of 2" }).waitFor();

    // Re-simulate a committed run: the form comes back filled with its transaction.
    await page.goto(`${server.url}/console/runs/${made.increments[0]}`);
    await page.getByRole("button", { name: "Re-simulate at the latest state" }).click();
    const again = page.getByRole("group", { name: "Transaction 1" });
    expect(await again.getByLabel("To (empty: deploy the calldata)").inputValue()).toBe(made.counter);
    expect(await again.getByLabel("Calldata (hex)").inputValue()).toBe("0xd09de08a");
    await page.getByRole("button", { name: "Simulate", exact: true }).click();
    await expect.poll(() => main().locator(".result .execution .status").first().textContent()).toBe("success");
  });

  it("shows credit and charges per hour as a chart and per kind", async () => {
    await page.goto(`${server.url}/console/usage`);
    const chart = main().getByRole("img", { name: /^Charges over the last 24 hours/ });
    await chart.waitFor();
    expect(await chart.locator("rect").count()).toBeGreaterThan(0);
    const perKind = main().getByRole("region", { name: /^Runs, gas and charges/ });
    expect(await perKind.locator("tbody tr").count()).toBe(5);
    const [, sends] = await perKind.locator("tbody tr", { hasText: "send" }).first().locator("td").allTextContents();
    expect(Number(sends)).toBe(4);
    expect(await main().locator("dd.big").textContent()).toMatch(/^999,999\.\d+$/);
    await checkPage("usage");
    await page.getByRole("link", { name: "Last 30 days" }).click();
    await main().getByRole("img", { name: /^Charges over the last 30 days/ }).waitFor();
  });

  it("creates a key with scopes (shown once) and revokes it", async () => {
    await page.goto(`${server.url}/console/keys`);
    const keys = main().getByRole("region", { name: "API keys of this project" });
    await keys.waitFor();
    expect(await keys.locator("tbody tr").count()).toBe(1);
    await page.getByLabel("send: transactions and deployments").uncheck();
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = page.getByLabel("New API key");
    await secret.waitFor();
    const key = await secret.inputValue();
    expect(key).toMatch(/^sk_/);
    await expect.poll(() => keys.locator("tbody tr").count()).toBe(2);
    const row = keys.locator("tbody tr", { hasText: "read simulate" }).filter({ hasNotText: "send" });
    const id = await row.locator("td").first().textContent();
    // The new key works until it is revoked.
    const use = () => fetch(`${server.url}/v1/project`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
    expect(await use()).toBe(200);
    await checkPage("keys");
    await page.getByRole("button", { name: `Revoke ${id}` }).click();
    await page.getByRole("button", { name: `Confirm: revoke ${id}` }).click();
    await expect.poll(() => row.locator("td").last().textContent()).toMatch(/^revoked /);
    expect(await use()).toBe(401);
    // Reloading the list never shows the secret again.
    await page.reload();
    await keys.waitFor();
    expect(await page.content()).not.toContain(key);
  });

  it("fits a phone-width screen on every page", async () => {
    await page.setViewportSize(PHONE);
    // Each page with what shows it has loaded.
    const pages = [["runs", "/runs", "tbody tr"], ["run-detail", `/runs/${made.everything}`, ".raw"], ["simulate", "/simulate", "fieldset.tx"], ["usage", "/usage", "svg.chart"], ["keys", "/keys", "tbody tr"]];
    for (const [name, path, loaded] of pages) {
      await page.goto(`${server.url}/console${path}`);
      await main().locator(loaded).first().waitFor();
      await checkPage(`phone-${name}`);
    }
    await page.setViewportSize(DESKTOP);
  });

  it("signs out: the key leaves the tab", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => page.url()).toContain("/console/sign-in");
    expect(await page.evaluate("sessionStorage.length")).toBe(0);
  });
});
