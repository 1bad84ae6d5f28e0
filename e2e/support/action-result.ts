/** A server action's result `{ ok, … }`, read from the RSC stream of its HTTP response (undefined if none). */
export function actionResultFrom<T = unknown>(text: string): { ok: boolean; status?: number; error?: string; data?: T } | undefined {
  for (const line of text.split("\n")) {
    try {
      const value = JSON.parse(line.slice(line.indexOf(":") + 1)) as { ok?: boolean };
      if (value && typeof value === "object" && "ok" in value) return value as { ok: boolean; data?: T };
    } catch {
      // Not a JSON row of the stream.
    }
  }
  return undefined;
}
