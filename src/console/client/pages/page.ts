import type { Place } from "../router.ts";

/** A page draws itself into `root` for a place (path parameters already taken out). */
export interface PageContext extends Place {
  root: HTMLElement;
  params: string[];
}

export type Page = (ctx: PageContext) => Promise<void> | void;
