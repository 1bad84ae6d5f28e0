import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { NodeNextRequest, NodeNextResponse } from "next/dist/server/base-http/node";
import { addRequestMeta } from "next/dist/server/request-meta";
import { sendResponse } from "next/dist/server/send-response";
import { NextRequestAdapter, signalFromNodeResponse } from "next/dist/server/web/spec-extension/adapters/next-request";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
/** A route module's methods, and the pattern of its path (named groups become params). */
export interface ServedRoute {
  path: RegExp;
  methods: Partial<Record<string, Handler>>;
}

export interface RouteServer {
  origin: string;
  /** Connections opened so far (a refusal must not cost a keep-alive connection). */
  connections(): number;
  close(): Promise<void>;
}

/**
 * Real route handlers behind a real HTTP server, the request and answer passed with Next's own code:
 * the IncomingMessage becomes the route's `request.body` as under `next start` (NextRequestAdapter),
 * and sendResponse writes the Response — so a client can stall, be cut off or keep its connection.
 */
export async function startRouteServer(routes: ServedRoute[]): Promise<RouteServer> {
  let origin = "";
  let connections = 0;
  const server = http.createServer((req, res) => {
    addRequestMeta(req, "initURL", `${origin}${req.url}`);
    const pathname = new URL(req.url ?? "/", origin).pathname;
    const route = routes.find((r) => r.path.test(pathname));
    const handler = route?.methods[req.method ?? "GET"];
    if (!route || !handler) {
      res.writeHead(route ? 405 : 404).end();
      return;
    }
    const params = Promise.resolve({ ...route.path.exec(pathname)!.groups });
    const nodeReq = new NodeNextRequest(req);
    void handler(NextRequestAdapter.fromNodeNextRequest(nodeReq, signalFromNodeResponse(res)), { params }).then((response) => sendResponse(nodeReq, new NodeNextResponse(res), response));
  });
  server.on("connection", () => connections++);
  // Idle keep-alive connections stay open for the whole test file: with Node's 5 s default the server
  // may close one just as the client's pool reuses it, and that request fails with ECONNRESET.
  server.keepAliveTimeout = 120_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
