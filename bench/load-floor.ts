/**
 * The load scenario's floor: a bare `node:http` server answering each known path with the SQL
 * statements the app sent for it (text and parameters, recorded in process by db/statement-counter),
 * replayed through postgres.js as server-side prepared statements, the rows JSON.stringify'd as
 * they come. No routing, validation, auth, logging or response shaping: what a request costs
 * without the app.
 *
 * `node --import tsx bench/load-floor.ts <routes.json> <port>`; routes.json is
 * `{ databaseUrl, poolMax, routes: { [path]: { text, params }[] } }`. Prints `listening` when ready.
 */
import { readFileSync } from "node:fs";
import http from "node:http";

import postgres from "postgres";

export interface FloorRoutes {
  databaseUrl: string;
  poolMax: number;
  routes: Record<string, { text: string; params: unknown[] }[]>;
}

const [file, port] = process.argv.slice(2);
if (!file || !port) {
  console.error("usage: node --import tsx bench/load-floor.ts <routes.json> <port>");
  process.exit(2);
}
const { databaseUrl, poolMax, routes } = JSON.parse(readFileSync(file, "utf8")) as FloorRoutes;
const sql = postgres(databaseUrl, { max: poolMax, onnotice: () => {}, connection: { application_name: "nwu-bench-floor" } });

const server = http.createServer(async (request, response) => {
  const statements = routes[request.url ?? ""];
  if (!statements) {
    response.writeHead(404).end();
    return;
  }
  try {
    let rows: unknown = [];
    for (const st of statements) rows = await sql.unsafe(st.text, st.params as never[], { prepare: true });
    const body = JSON.stringify(rows);
    response.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) }).end(body);
  } catch (error) {
    response.writeHead(500, { "Content-Type": "text/plain" }).end(String(error));
  }
});
server.listen(Number(port), "127.0.0.1", () => console.log("listening"));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void sql.end({ timeout: 2 }).finally(() => process.exit(0));
  });
}
