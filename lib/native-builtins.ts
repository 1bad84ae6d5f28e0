/**
 * Runs `load` (an import) and then puts back every built-in it replaced. pdf.js's legacy build
 * bundles core-js, which on Node 20 swaps natives process-wide for JavaScript versions it deems
 * more compliant: JSON.stringify and JSON.parse (Node 20 lacks JSON.rawJSON), Array.prototype.push,
 * Response, TextEncoder… Every API answer then went through core-js's JSON.stringify — 15 % of the
 * server's CPU under the load benchmark. What core-js only adds (methods Node 20 lacks) stays.
 */
export async function withNativeBuiltins<T>(load: () => Promise<T>): Promise<T> {
  const saved = snapshotBuiltins();
  try {
    return await load();
  } finally {
    restoreBuiltins(saved);
  }
}

type Snapshot = Map<object, Map<PropertyKey, PropertyDescriptor>>;

/** globalThis, each built-in object or constructor on it, and each constructor's prototype. */
function builtinHolders(): object[] {
  const holders = new Set<object>([globalThis]);
  for (const key of Reflect.ownKeys(globalThis)) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, key);
    const value: unknown = descriptor && "value" in descriptor ? descriptor.value : undefined;
    if ((typeof value !== "object" && typeof value !== "function") || value === null) continue;
    holders.add(value);
    const prototype: unknown = typeof value === "function" ? (value as { prototype?: unknown }).prototype : undefined;
    if (typeof prototype === "object" && prototype !== null) holders.add(prototype);
  }
  // Typed arrays share one hidden parent (%TypedArray%) that core-js patches too.
  holders.add(Object.getPrototypeOf(Uint8Array.prototype) as object);
  holders.add(Object.getPrototypeOf(Uint8Array) as object);
  return [...holders];
}

function snapshotBuiltins(): Snapshot {
  const saved: Snapshot = new Map();
  for (const holder of builtinHolders()) {
    const descriptors = new Map<PropertyKey, PropertyDescriptor>();
    for (const key of Reflect.ownKeys(holder)) descriptors.set(key, Object.getOwnPropertyDescriptor(holder, key)!);
    saved.set(holder, descriptors);
  }
  return saved;
}

const sameDescriptor = (a: PropertyDescriptor, b: PropertyDescriptor | undefined) =>
  !!b && a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable;

function restoreBuiltins(saved: Snapshot): void {
  for (const [holder, descriptors] of saved) {
    for (const [key, before] of descriptors) {
      const now = Object.getOwnPropertyDescriptor(holder, key);
      if (sameDescriptor(before, now) || (Number.isNaN(before.value) && Number.isNaN(now?.value))) continue;
      if (now && !now.configurable && !now.writable) continue;
      Object.defineProperty(holder, key, before);
    }
  }
}
