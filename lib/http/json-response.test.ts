import { describe, expect, it } from "vitest";

import { jsonResponse } from "./json-response";

describe("jsonResponse", () => {
  it("answers JSON like Response.json, serializing a shared value once", async () => {
    const value = { items: [{ id: 1 }], next_cursor: null };
    let built = 0;
    const body = () => {
      built++;
      return { ...value, extra: "shaped" };
    };
    const first = jsonResponse(value, body, { status: 201, headers: { "X-Test": "1" } });
    const second = jsonResponse(value, body);
    expect(built).toBe(1);
    expect(first.status).toBe(201);
    expect(first.headers.get("content-type")).toBe("application/json");
    expect(first.headers.get("x-test")).toBe("1");
    expect(await first.json()).toEqual({ items: [{ id: 1 }], next_cursor: null, extra: "shaped" });
    expect(await second.text()).toBe(await Response.json(body()).text());
  });
});
