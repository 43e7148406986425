import { ApiError, rest } from "../api.ts";
import { h, replace } from "../dom.ts";
import { navigate } from "../router.ts";
import { signIn, signOut } from "../session.ts";
import { notice } from "../views/table.ts";
import type { PageContext } from "./page.ts";

/** Sign in with an API key: kept in this tab's session storage only, checked once against the API. */
export function signInPage({ root }: PageContext): void {
  const status = h("div", { "aria-live": "polite" });
  const input = h("input", { id: "api-key", name: "key", type: "password", autocomplete: "off", required: true, spellcheck: "false" });
  const form = h(
    "form",
    { class: "sign-in", onsubmit: (e: Event) => void submit(e) },
    h("label", { for: "api-key" }, "API key"),
    input,
    h("p", { class: "hint" }, "Kept in this tab only (session storage) and sent to this API alone. `npm run dev` prints the development key."),
    h("button", { type: "submit" }, "Sign in"),
    status,
  );
  async function submit(e: Event) {
    e.preventDefault();
    signIn(input.value.trim());
    try {
      await rest("GET", "/project");
    } catch (err) {
      // A key without the read scope is still a key: only an unknown or revoked one is refused.
      if (!(err instanceof ApiError && err.code === "insufficient_scope")) {
        signOut();
        replace(status, notice("error", err instanceof ApiError ? err.message : String(err)));
        return;
      }
    }
    navigate("/runs");
  }
  replace(root, h("h1", {}, "Sign in"), form);
}
