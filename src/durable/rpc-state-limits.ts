/**
 * The limits of a project's RpcState object, apart from it so that the API layer can name them
 * without importing the object (which needs the Workers runtime).
 */

/** geth's deadline: a filter not read for this long is removed. */
export const FILTER_TTL_MS = 5 * 60 * 1000;
/** The most filters a project may hold at once. */
export const MAX_FILTERS = 256;

/** The most accounts a project may impersonate at once. */
export const MAX_IMPERSONATED = 256;
