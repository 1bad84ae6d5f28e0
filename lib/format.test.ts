import { describe, expect, it } from "vitest";

import { formatBytes } from "./format";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1536, "1.5 KiB"],
    [3 * 1024 ** 2, "3 MiB"],
    [1024 ** 3, "1 GiB"],
    [1.25 * 1024 ** 3, "1.3 GiB"],
    [41.9 * 1024 ** 2, "42 MiB"],
  ])("%d bytes → %s (IEC units, as the server's limits)", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
