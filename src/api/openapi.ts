import { toJsonSchema, type JsonSchema } from "@valibot/to-json-schema";
import type { GenericSchema } from "valibot";
import { creditBody, limitsBody, projectBody } from "./schema/operator.ts";
import { blockQuery, forkBody, keysBody, runsQuery, usageQuery } from "./schema/queries.ts";
import { callBody, contractsBody, sendBody, simulateBody } from "./schema/transactions.ts";

/**
 * `GET /openapi.json`: the REST API as an OpenAPI 3.1 document, its request bodies and query
 * strings converted from the very schemas that validate them (src/api/schema), so the document
 * cannot drift from what the routes accept. A test checks that every route is in it.
 */

type Auth = "key" | "operator" | "none";

interface Operation {
  method: "get" | "post" | "delete";
  path: string;
  summary: string;
  auth: Auth;
  body?: GenericSchema;
  query?: GenericSchema;
  /** The HTTP status of success, when not 200. */
  status?: number;
}

const TX: Omit<Operation, "path">[] = [
  { method: "post", summary: "Run a call at the latest state; nothing is committed", auth: "key", body: callBody },
  { method: "post", summary: "Simulate a bundle of transactions: logs, state diff, transfers, asset changes, traces", auth: "key", body: simulateBody },
];
const SEND: Omit<Operation, "path">[] = [
  { method: "post", summary: "Send a transaction from the key's account and commit it", auth: "key", body: sendBody },
  { method: "post", summary: "Deploy a contract from the key's account", auth: "key", body: contractsBody, status: 201 },
];
const ACCOUNT: Omit<Operation, "path">[] = [
  { method: "get", summary: "An account: balance, nonce, code hash", auth: "key" },
  { method: "get", summary: "An account's code", auth: "key" },
  { method: "get", summary: "One storage slot of an account", auth: "key" },
];

/** The routes under `prefix` that run transactions (`/v1`, a fork's, a network's). */
const txRoutes = (prefix: string, ops: Omit<Operation, "path">[], names: string[], extra: Partial<Operation> = {}): Operation[] =>
  ops.map((op, i) => ({ ...op, ...extra, path: `${prefix}/${names[i]}` }));
const accountRoutes = (prefix: string) => txRoutes(`${prefix}/accounts`, ACCOUNT, ["{address}", "{address}/code", "{address}/storage/{slot}"]);

export const OPERATIONS: Operation[] = [
  { method: "get", path: "/", summary: "The service's name and where its API lives", auth: "none" },
  { method: "get", path: "/openapi.json", summary: "This document", auth: "none" },
  ...txRoutes("/v1", TX, ["call", "simulate"]),
  ...txRoutes("/v1", SEND, ["send", "contracts"]),
  ...accountRoutes("/v1"),
  { method: "get", path: "/v1/runs", summary: "The project's runs, newest first, filtered and paginated", auth: "key", query: runsQuery },
  { method: "get", path: "/v1/runs/{id}", summary: "One run, with its receipt once the run log has it", auth: "key" },
  { method: "get", path: "/v1/project", summary: "The project: credit, limits, chain", auth: "key" },
  { method: "get", path: "/v1/usage", summary: "Runs, gas and charge per hour or day", auth: "key", query: usageQuery },
  { method: "post", path: "/v1/project/credit", summary: "Refused (403 operator_only): credit is the operator's to grant", auth: "key" },
  { method: "get", path: "/v1/keys", summary: "The project's keys (admin scope)", auth: "key" },
  { method: "post", path: "/v1/keys", summary: "A new key, shown once (admin scope)", auth: "key", body: keysBody, status: 201 },
  { method: "delete", path: "/v1/keys/{id}", summary: "Revoke a key (admin scope)", auth: "key" },
  { method: "get", path: "/v1/networks", summary: "The upstream networks this deployment can fork", auth: "none" },
  ...txRoutes("/v1/networks/{network}", TX, ["call", "simulate"], { query: blockQuery }),
  { method: "post", path: "/v1/forks", summary: "A persistent fork of a network at a block", auth: "key", body: forkBody, status: 201 },
  { method: "get", path: "/v1/forks", summary: "The project's forks", auth: "key" },
  { method: "get", path: "/v1/forks/{id}", summary: "One fork", auth: "key" },
  ...txRoutes("/v1/forks/{id}", TX, ["call", "simulate"]),
  ...txRoutes("/v1/forks/{id}", SEND, ["send", "contracts"]),
  ...accountRoutes("/v1/forks/{id}"),
  { method: "post", path: "/rpc", summary: "Ethereum JSON-RPC on the project's chain (key as Bearer)", auth: "key" },
  { method: "post", path: "/rpc/{key}", summary: "Ethereum JSON-RPC on the project's chain (key in the path)", auth: "none" },
  { method: "post", path: "/rpc/{key}/{network}", summary: "Ethereum JSON-RPC on an upstream network's state", auth: "none" },
  { method: "post", path: "/rpc/{key}/forks/{id}", summary: "Ethereum JSON-RPC on a persistent fork", auth: "none" },
  { method: "post", path: "/operator/projects", summary: "Create a project and its first key (operator secret)", auth: "operator", body: projectBody, status: 201 },
  { method: "get", path: "/operator/projects/{id}", summary: "A project (operator secret)", auth: "operator" },
  { method: "post", path: "/operator/projects/{id}/credit", summary: "Grant credit in micro-units (operator secret)", auth: "operator", body: creditBody },
  { method: "post", path: "/operator/projects/{id}/limits", summary: "Set a project's plan limits (operator secret)", auth: "operator", body: limitsBody },
  { method: "get", path: "/console/{path}", summary: "The web console (static pages)", auth: "none" },
];

/** Input types only: transforms (hex to bytes, text to bigint) are how we read, not what is sent. */
const jsonSchema = (s: GenericSchema): JsonSchema => toJsonSchema(s, { target: "draft-2020-12", errorMode: "ignore", typeMode: "ignore" });

const ERROR = {
  description: "Refused: a stable `code`, a message naming the field, the request id",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

function parametersOf(op: Operation) {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: "path", required: true, schema: { type: "string" } }));
  const query = op.query === undefined ? {} : (jsonSchema(op.query).properties ?? {});
  const inQuery = Object.entries(query).map(([name, schema]) => ({ name, in: "query", required: false, schema }));
  return [...inPath, ...inQuery];
}

function operationOf(op: Operation) {
  return {
    summary: op.summary,
    operationId: `${op.method}${op.path.replace(/[{}]/g, "").replace(/(^|\/|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase())}`,
    ...(op.auth === "none" ? { security: [] } : op.auth === "operator" ? { security: [{ operator: [] }] } : {}),
    parameters: parametersOf(op),
    ...(op.body === undefined ? {} : { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } } }),
    responses: {
      [String(op.status ?? 200)]: { description: "Success; REST answers that run something carry `cost` {gasExecuted, executions, charge}" },
      "4XX": ERROR,
    },
  };
}

let built: object | undefined;

export function openApiDocument(): object {
  if (built !== undefined) return built;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationOf(op);
  built = {
    openapi: "3.1.0",
    info: { title: "edge-evm", version: "1", description: "Serverless EVM execution: calls, simulations, transactions, traces and JSON-RPC on a project's own chain or a fork of a network." },
    servers: [{ url: "/" }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "a project key, sk_<project>_<48 hex>" },
        operator: { type: "http", scheme: "bearer", description: "the deployment's OPERATOR_SECRET" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" }, requestId: { type: "string" } } } },
        },
      },
    },
    paths,
  };
  return built;
}
