import { actingUserId, apiRoute, viewerOf } from "@/lib/api/principal";
import { getContribution, listContributions, toApiContribution } from "@/lib/contributions/queries";
import { listQuery } from "@/lib/contributions/schemas";
import { storeUpload, uploadLimits } from "@/lib/contributions/upload";
import { decodeCursor } from "@/lib/pagination";
import { receiveMultipartFile } from "@/lib/http/multipart";
import { jsonResponse } from "@/lib/http/json-response";
import { parseQuery } from "@/lib/http/query";

export const dynamic = "force-dynamic";

/** Browse contributions: filters, newest first, keyset pagination (`cursor`, `limit` ≤ 100). */
export const GET = apiRoute({ scope: "contributions:read", allow: "anonymous" }, async (request, _ctx, principal) => {
  const query = parseQuery(listQuery, new URL(request.url).searchParams);
  const page = await listContributions({ ...query, cursor: decodeCursor(query.cursor) }, viewerOf(principal, request));
  return jsonResponse(page, () => ({ items: page.items, next_cursor: page.nextCursor }));
});

/** Upload: multipart (title, description, file_type, metadata, file), streamed into IPFS. */
export const POST = apiRoute({ scope: "contributions:write", allow: "session" }, async (request, _ctx, principal) => {
  const userId = actingUserId(principal);
  const created = await receiveMultipartFile(request, "file", uploadLimits(), ({ fileName, stream, fields, complete }) =>
    storeUpload({ userId, fileName, file: stream, fields, complete }),
  );
  const contribution = await getContribution(created.id, viewerOf(principal, request));
  return Response.json(toApiContribution(contribution), { status: 201, headers: { Location: `/api/v1/contributions/${created.id}` } });
});
