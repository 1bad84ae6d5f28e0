import { openApiDocument } from "./openapi";

/**
 * The OpenAPI document read for people (app/docs/api): operations with their parameters, bodies,
 * answers and a curl call, and the schemas as field lists — derived, so the page cannot drift from
 * /api/v1/openapi.json.
 */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
};

type Parameter = { name: string; in: string; required?: boolean; schema?: Schema; description?: string };
type Content = Record<string, { schema?: Schema }>;
type RawOperation = {
  operationId: string;
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content: Content };
  responses?: Record<string, { description?: string; content?: Content }>;
  security?: Record<string, string[]>[];
};

export interface Field {
  name: string;
  type: string;
  /** The schema a field refers to (its own section on the page), if any. */
  ref?: string;
  required: boolean;
  description?: string;
}

export interface DocOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  /** Who may call it: "anyone", or the API key scope / session. */
  access: string;
  parameters: Field[];
  body?: { mediaType: string; fields: Field[] };
  responses: { status: string; description: string; mediaType?: string; ref?: string }[];
  curl: string;
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf("/") + 1);

/** A schema as a short type: `string (uuid)`, `Contribution[]`, `"a" | "b"`, `integer ≤ 100`. */
export function typeOf(s: Schema | undefined): { type: string; ref?: string } {
  if (!s) return { type: "any" };
  if (s.$ref) return { type: refName(s.$ref), ref: refName(s.$ref) };
  if (s.enum) return { type: s.enum.map((v) => JSON.stringify(v)).join(" | ") };
  if (s.const !== undefined) return { type: JSON.stringify(s.const) };
  const union = s.anyOf ?? s.oneOf;
  if (union) {
    const parts = union.map(typeOf);
    return { type: parts.map((p) => p.type).join(" | "), ref: parts.find((p) => p.ref)?.ref };
  }
  if (s.type === "array" || (Array.isArray(s.type) && s.type.includes("array"))) {
    const item = typeOf(s.items);
    return { type: `${item.type.includes(" ") ? `(${item.type})` : item.type}[]`, ref: item.ref };
  }
  const base = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? (s.properties ? "object" : "any"));
  const limits = [s.format, s.minimum !== undefined ? `≥ ${s.minimum}` : "", s.maximum !== undefined ? `≤ ${s.maximum}` : "", s.maxLength ? `≤ ${s.maxLength} chars` : ""].filter(Boolean);
  return { type: limits.length ? `${base} (${limits.join(", ")})` : base };
}

/** An object schema's fields (a non-object schema is one unnamed field). */
export function fieldsOf(s: Schema | undefined): Field[] {
  if (!s?.properties) return s ? [{ name: "", required: true, ...typeOf(s), description: s.description }] : [];
  return Object.entries(s.properties).map(([name, p]) => ({ name, required: s.required?.includes(name) ?? false, ...typeOf(p), description: p.description }));
}

function access(security: RawOperation["security"]): string {
  if (!security?.length) return "anyone";
  const scope = security.find((s) => s.apiKey)?.apiKey?.join(", ");
  const parts = [scope ? `API key with scope ${scope}` : "", security.some((s) => s.session) ? "a signed-in session" : ""].filter(Boolean);
  return `${parts.join(" or ")}${security.some((s) => Object.keys(s).length === 0) ? " (optional: anyone may call it)" : ""}`;
}

/** Example values for path parameters and a body, so the call reads as a real one. */
const EXAMPLE: Record<string, string> = { id: "$ID", address: "$ADDRESS" };

function curlOf(origin: string, method: string, path: string, op: RawOperation): string {
  const url = `${origin}${path.replace(/\{(\w+)\}/g, (_, name: string) => EXAMPLE[name] ?? `$${name.toUpperCase()}`)}`;
  const required = (op.parameters ?? []).filter((p) => p.in === "query" && p.required);
  const query = required.length ? `?${required.map((p) => `${p.name}=…`).join("&")}` : "";
  const lines = [`curl${method === "get" ? "" : ` -X ${method.toUpperCase()}`} "${url}${query}"`];
  if (op.security?.some((s) => s.apiKey)) lines.push(`-H "Authorization: Bearer $NWU_API_KEY"`);
  const content = op.requestBody?.content ?? {};
  if (content["multipart/form-data"]) {
    for (const name of content["multipart/form-data"].schema?.required ?? []) lines.push(name === "file" ? `-F "file=@./my-file"` : `-F "${name}=…"`);
  } else if (content["application/json"]) {
    const schema = content["application/json"].schema;
    const example = Object.fromEntries((schema?.required ?? []).map((name) => [name, "…"]));
    lines.push(`-H "Content-Type: application/json"`, `-d '${JSON.stringify(example)}'`);
  }
  return lines.join(" \\\n  ");
}

const firstMedia = (content: Content | undefined) => {
  const [mediaType, value] = Object.entries(content ?? {})[0] ?? [];
  return mediaType ? { mediaType, schema: value?.schema } : undefined;
};

export function apiDocs(origin: string) {
  const doc = openApiDocument(origin) as { info: { description: string }; paths: Record<string, Record<string, RawOperation>>; components: { schemas: Record<string, Schema> } };
  const operations: DocOperation[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const body = firstMedia(op.requestBody?.content);
      return {
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? "",
        access: access(op.security),
        parameters: (op.parameters ?? []).map((p) => ({ name: `${p.name} (${p.in})`, required: p.required ?? false, ...typeOf(p.schema), description: p.description ?? p.schema?.description })),
        body: body && { mediaType: body.mediaType, fields: fieldsOf(body.schema) },
        responses: Object.entries(op.responses ?? {}).map(([status, r]) => {
          const media = firstMedia(r.content);
          return { status, description: r.description ?? "", mediaType: media?.mediaType, ref: media?.schema && typeOf(media.schema).ref };
        }),
        curl: curlOf(origin, method, path, op),
      };
    }),
  );
  const schemas = Object.entries(doc.components.schemas).map(([name, s]) => ({ name, description: s.description, fields: fieldsOf(s) }));
  return { description: doc.info.description, operations, schemas };
}
