/**
 * Typed reads of the public API for e2e tests: the answer types are generated from the OpenAPI
 * document (lib/api/openapi-types.ts, `npm run api:types`), so a spec that reads a field the
 * document does not promise fails to compile.
 */
import type { APIResponse } from "@playwright/test";

import type { components, operations } from "../../lib/api/openapi-types";

export type ApiSchemas = components["schemas"];
export type ApiContribution = ApiSchemas["ContributionDetail"];
export type ApiProblem = ApiSchemas["Problem"];

type Responses<Op extends keyof operations> = operations[Op]["responses"];
/** The JSON body an operation documents for a status. */
export type ApiAnswer<Op extends keyof operations, S extends keyof Responses<Op>> = Responses<Op>[S] extends { content: infer C }
  ? C extends { "application/json": infer B }
    ? B
    : C extends { "application/problem+json": infer P }
      ? P
      : never
  : never;

/** The JSON body of `res`, typed by the operation's documented answer for `status`; any other status throws with the body. */
export async function apiJson<Op extends keyof operations, S extends keyof Responses<Op> & number>(operation: Op, res: APIResponse, status: S): Promise<ApiAnswer<Op, S>> {
  if (res.status() !== status) throw new Error(`${operation}: expected ${status}, got ${res.status()}: ${await res.text()}`);
  return (await res.json()) as ApiAnswer<Op, S>;
}
