import { createRequire } from "node:module";

import type { APIRequestContext } from "@playwright/test";

import { serverActionsInBuild, type BuiltAction } from "../authorization/inventory";

import { actionResultFrom } from "./action-result";

export const builtActions = () => new Map<string, BuiltAction>(serverActionsInBuild().map((a) => [a.key, a]));

// React's own reply encoder (the one a browser uses for action arguments; e.g. a string starting
// with "$" travels as "$$…"), from the copy bundled with Next.
const { encodeReply } = createRequire(import.meta.url)("next/dist/compiled/react-server-dom-turbopack/client.node.js") as {
  encodeReply(value: unknown): Promise<string | FormData>;
};

/** Invokes a server action over HTTP exactly as a browser does, and reads its result from the RSC stream. */
export async function callAction<T = unknown>(
  api: APIRequestContext,
  baseURL: string,
  action: BuiltAction,
  args: unknown[],
  params: { id?: string } = {},
): Promise<{ ok: boolean; status?: number; error?: string; data?: T }> {
  const res = await api.post(action.pagePath.replace("[id]", params.id ?? "x"), {
    headers: { "next-action": action.id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: baseURL },
    data: await encodeBody(args),
  });
  const text = await res.text();
  const result = actionResultFrom<T>(text);
  if (result) return result;
  throw new Error(`no action result (HTTP ${res.status()}): ${text.slice(0, 300)}`);
}

async function encodeBody(args: unknown[]): Promise<string> {
  const encoded = await encodeReply(args);
  if (typeof encoded !== "string") throw new Error("action arguments that need multipart encoding are not supported here");
  return encoded;
}
