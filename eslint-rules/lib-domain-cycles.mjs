/**
 * No cycle between lib domains. A domain is a folder of lib/ (lib/payments) or a file directly in
 * it (lib/errors.ts); an import from one domain into another is reported when the other one
 * reaches back, directly or through further domains. Module-level cycle rules (import/no-cycle)
 * miss this: lib/a/x → lib/b/y and lib/b/z → lib/a/w is no module cycle, yet neither domain can be
 * read, tested or moved without the other. Tests are left out: they may cross domains freely.
 *
 * The domain graph is built once per lint run from the files on disk (a regex over their import
 * lines: one pass over lib/, far cheaper than resolving every module graph).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const LIB = path.resolve("lib");
const SOURCE = /\.(?:ts|tsx|mts|js|mjs)$/;
const TEST = /\.test\.(?:ts|tsx)$/;
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

export const isLibSource = (file) => file.startsWith(LIB + path.sep) && SOURCE.test(file) && !TEST.test(file);

/** "lib/payments/billing.ts" → "payments"; "lib/errors.ts" → "errors"; outside lib/ → undefined. */
function domainOfPath(absolute) {
  const rel = path.relative(LIB, absolute);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep)[0].replace(/\.[^.]+$/, "");
}

/** The lib domain an import specifier written in `file` points into, if any. */
export function domainOfImport(file, specifier) {
  if (specifier.startsWith("@/lib/")) return specifier.slice("@/lib/".length).split("/")[0];
  if (specifier.startsWith(".")) return domainOfPath(path.resolve(path.dirname(file), specifier));
  return undefined;
}

let graph;

function domainGraph() {
  if (graph) return graph;
  graph = new Map();
  const files = readdirSync(LIB, { recursive: true }).map((f) => path.join(LIB, f)).filter(isLibSource);
  for (const file of files) {
    const from = domainOfPath(file);
    const edges = graph.get(from) ?? new Map();
    graph.set(from, edges);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(SPECIFIERS)) {
      const to = domainOfImport(file, specifier);
      if (to && to !== from && !edges.has(to)) edges.set(to, path.relative(process.cwd(), file));
    }
  }
  return graph;
}

/** A path of domains from `start` back to `goal` (breadth first: the shortest), or undefined. */
function pathBack(start, goal) {
  const seen = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift();
    for (const [next, via] of domainGraph().get(at) ?? []) {
      if (seen.has(next)) continue;
      seen.set(next, { from: at, via });
      if (next === goal) {
        const steps = [];
        for (let d = goal; d !== start; d = seen.get(d).from) steps.unshift(`lib/${d} (${seen.get(d).via})`);
        return [`lib/${start}`, ...steps];
      }
      queue.push(next);
    }
  }
  return undefined;
}

const rule = {
  meta: {
    type: "problem",
    docs: { description: "lib domains depend on each other one way: no cycle between lib/<a> and lib/<b>" },
    messages: { cycle: "lib/{{from}} imports lib/{{to}}, which imports lib/{{from}} back: {{path}}. Domains depend one way: move the shared piece to the domain it belongs to." },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    if (!isLibSource(file)) return {};
    const from = domainOfPath(file);
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== "string") return;
      const to = domainOfImport(file, specifier);
      if (!to || to === from) return;
      const back = pathBack(to, from);
      if (back) context.report({ node: node.source, messageId: "cycle", data: { from, to, path: back.join(" → ") } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default rule;
