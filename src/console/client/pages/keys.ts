import { rest } from "../api.ts";
import { h, replace } from "../dom.ts";
import { short, time } from "../format.ts";
import { notice, section, table } from "../views/table.ts";
import type { KeyJson } from "../wire.ts";
import type { PageContext } from "./page.ts";

const SCOPES: [string, string][] = [
  ["read", "read: state, runs, usage, calls"],
  ["simulate", "simulate: simulations, estimates, traces"],
  ["send", "send: transactions and deployments"],
  ["admin", "admin: keys of this project"],
];

/** Revoking takes two clicks: the first turns the button into a confirmation. */
function revokeButton(k: KeyJson, onRevoked: () => void) {
  const button = h("button", { type: "button", class: "danger", "aria-label": `Revoke ${k.id}` }, "Revoke");
  let armed = false;
  button.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      button.textContent = "Confirm revoke";
      button.setAttribute("aria-label", `Confirm: revoke ${k.id}`);
      return;
    }
    button.disabled = true;
    await rest("DELETE", `/keys/${encodeURIComponent(k.id)}`);
    onRevoked();
  });
  return button;
}

/** The project's keys (admin scope): create with scopes (the secret shown once), list, revoke. */
export async function keysPage({ root }: PageContext): Promise<void> {
  const created = h("div", { "aria-live": "polite" });
  const list = h("div", {}, notice("info", "Loading keys…"));
  const form = h(
    "form",
    { class: "create-key", onsubmit: (e: Event) => void create(e) },
    h("fieldset", {}, h("legend", {}, "Scopes of the new key"), SCOPES.map(([s, label]) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "scope", value: s, checked: s !== "admin" }), label))),
    h("button", { type: "submit" }, "Create key"),
  );
  async function load() {
    const { keys } = await rest<{ keys: KeyJson[] }>("GET", "/keys");
    const rows = keys.map((k) => [
      h("code", {}, k.id), h("code", {}, `${k.prefix}…`), k.scopes.join(" "), h("code", { title: k.address }, short(k.address)),
      time(k.createdAt), k.lastUsedAt === null ? "never" : time(k.lastUsedAt),
      k.revokedAt === null ? revokeButton(k, () => void load()) : h("span", { class: "status failed" }, `revoked ${time(k.revokedAt)}`),
    ]);
    replace(list, table("API keys of this project", ["id", "prefix", "scopes", "account", "created", "last used", "status"], rows));
  }
  async function create(e: Event) {
    e.preventDefault();
    const scopes = [...(e.target as HTMLFormElement).querySelectorAll<HTMLInputElement>("input[name=scope]:checked")].map((i) => i.value);
    if (scopes.length === 0) return replace(created, notice("error", "Choose at least one scope."));
    try {
      const k = await rest<KeyJson & { key: string }>("POST", "/keys", { scopes });
      const secret = h("input", { id: "new-key", readonly: true, value: k.key, class: "secret" });
      replace(
        created,
        h(
          "div",
          { class: "notice success", role: "status" },
          h("p", {}, h("strong", {}, `Key ${k.id} created.`), " Copy it now: it is shown this once and stored only as a hash."),
          h("label", { for: "new-key" }, "New API key"),
          secret,
          h("button", { type: "button", onclick: () => { secret.select(); void navigator.clipboard?.writeText(k.key).catch(() => {}); } }, "Copy"),
        ),
      );
      await load();
    } catch (err) {
      replace(created, notice("error", (err as Error).message));
    }
  }
  replace(root, h("h1", {}, "API keys"), section("New key", form, created), section("Keys", list));
  await load();
}
