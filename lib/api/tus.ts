import "server-only";

import { randomUUID } from "node:crypto";

import { Server } from "@tus/server";
import { Metadata } from "@tus/utils";

import { getEnv } from "@/lib/config/env";
import { AppError, BadRequestError, NotFoundError, PreconditionFailedError, RequestTimeoutError, problemResponse } from "@/lib/errors";
import { closeConnectionAfter } from "@/lib/http/request-body";
import { checkUploadCreation, type UploadCreation } from "@/lib/uploads/creation";
import { doneResult, finishUpload, type FinishedUpload } from "@/lib/uploads/finish";
import { uploadLocker } from "@/lib/uploads/locker";
import { UPLOADS_PATH } from "@/lib/uploads/queries";
import { createUploadRecord, deleteUploadRecord, ownUpload } from "@/lib/uploads/records";
import { CHECKSUM_ALGORITHMS, patchContext, uploadStore, type ChecksumAlgorithm, type ExpectedChecksum } from "@/lib/uploads/store";

/**
 * The tus 1.0.0 endpoint (creation, termination, expiration, checksum) on
 * @tus/server, with this app's rules around it: who may touch an upload (its owner only), the
 * contribution's fields checked at creation, the import into IPFS on completion, and every refusal
 * of ours as an RFC 9457 problem (tus's own plain-text ones too).
 */

/**
 * creation-with-upload is left out: bytes refused with the creation (over Upload-Length) would
 * leave the upload created behind a 413. The bytes come with PATCH.
 */
const EXTENSIONS = "creation,termination,expiration,checksum";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHECKSUM_HEADER = /^(\S+) ([A-Za-z0-9+/]+={0,2})$/;

/** What one request's hooks need and leave behind (keyed by the Request tus hands back to them). */
interface RequestState {
  userId: string;
  creation?: UploadCreation;
  finished?: FinishedUpload;
  error?: unknown;
}
const states = new WeakMap<Request, RequestState>();

const globalForTus = globalThis as unknown as { __nwuTus?: { store: unknown; server: Server } };

function tusServer(): Server {
  const store = uploadStore();
  if (globalForTus.__nwuTus?.store === store) return globalForTus.__nwuTus.server;
  const server = new Server({
    path: UPLOADS_PATH,
    datastore: store,
    locker: () => uploadLocker(),
    relativeLocation: true,
    namingFunction: () => randomUUID(),
    maxSize: () => getEnv().MAX_UPLOAD_BYTES,
    // Same-origin browsers and API clients only: no CORS grant.
    allowedOrigins: () => false,
    onUploadCreate: async (req, upload) => {
      const state = states.get(req as Request)!;
      await createUploadRecord({ id: upload.id, userId: state.userId, ...state.creation! });
      return {};
    },
    onUploadFinish: async (req, upload) => {
      const state = states.get(req as Request)!;
      state.finished = await finishUpload(upload.id);
      return { headers: finishedHeaders(state.finished) };
    },
    onResponseError: (req, error) => {
      // Ours (an AppError, or a fault) is answered as a problem below; tus's own are {status_code, body}.
      if (error instanceof Error) states.get(req as Request)!.error = error;
      return undefined;
    },
  });
  globalForTus.__nwuTus = { store, server };
  return server;
}

function finishedHeaders(f: FinishedUpload): Record<string, string> {
  return {
    "Upload-Contribution-Id": f.contributionId,
    Link: `</api/v1/contributions/${f.contributionId}>; rel="related"`,
    ...(f.duplicate ? { "Upload-Duplicate": "true" } : {}),
  };
}

/** The tus OPTIONS answer: versions, extensions, the size cap and the checksum algorithms (no sign-in needed). */
export async function tusOptions(request: Request): Promise<Response> {
  const response = await tusServer().handleWeb(request);
  response.headers.set("Tus-Extension", EXTENSIONS);
  response.headers.set("Tus-Checksum-Algorithm", CHECKSUM_ALGORITHMS.join(","));
  return response;
}

const MAX_TUS_URL = 2048;

/** A tus request from `userId` (already authenticated): the collection's POST, or an upload's HEAD/PATCH/DELETE. */
export async function handleTus(request: Request, userId: string, uploadId?: string): Promise<Response> {
  const state: RequestState = { userId };
  states.set(request, state);
  try {
    // @tus/server finds the upload id with /([^/]+)\/?$/ over the whole URL, query included: quadratic
    // in a long run of non-slashes followed by two slashes. Upload URLs are short (ours carry no query).
    if (request.url.length > MAX_TUS_URL) {
      return problemResponse(new AppError(414, "uri_too_long", `An upload URL is at most ${MAX_TUS_URL} characters`), UPLOADS_PATH, { "Tus-Resumable": "1.0.0" });
    }
    if (request.headers.get("tus-resumable") !== "1.0.0") {
      return problemResponse(new PreconditionFailedError("Tus-Resumable: 1.0.0 is required (the only tus version served)"), UPLOADS_PATH, { "Tus-Version": "1.0.0" });
    }
    if (request.method === "POST") state.creation = creationOf(request);
    else {
      const answered = await answerForKnownUpload(request, userId, uploadId);
      if (answered) return answered;
    }
    const patch = request.method === "PATCH" ? { checksum: checksumOf(request), idleMs: getEnv().UPLOAD_IDLE_TIMEOUT_MS } : undefined;
    const response = await (patch ? patchContext.run(patch, () => tusServer().handleWeb(request)) : tusServer().handleWeb(request));
    // A stalled client sends nothing more: its bytes so far are kept, its connection ends.
    if (state.error instanceof RequestTimeoutError) closeConnectionAfter(request);
    if (state.error !== undefined) return problemResponse(state.error, UPLOADS_PATH, tusHeaders(response));
    return await withOutcome(request, response, state, uploadId);
  } catch (error) {
    return problemResponse(error, UPLOADS_PATH, { "Tus-Resumable": "1.0.0" });
  }
}

/** Refuses an upload that is not the caller's; answers for one already imported (its bytes are gone). */
async function answerForKnownUpload(request: Request, userId: string, uploadId: string | undefined): Promise<Response | undefined> {
  if (!uploadId || !UUID.test(uploadId)) throw new NotFoundError("No such upload");
  const upload = await ownUpload(uploadId, userId);
  if (!upload) throw new NotFoundError("No such upload");
  if (upload.status !== "done") return undefined;
  const finished = doneResult(upload);
  const headers = { ...doneHeaders(upload.sizeBytes), ...finishedHeaders(finished) };
  if (request.method === "DELETE") {
    // The contribution stays; only the upload's record goes.
    await deleteUploadRecord(upload.id);
    return new Response(null, { status: 204, headers: { "Tus-Resumable": "1.0.0" } });
  }
  if (request.method === "PATCH" && Number(request.headers.get("upload-offset")) !== upload.sizeBytes) {
    throw new AppError(409, "offset_mismatch", `Upload-Offset conflict: the upload is complete at ${upload.sizeBytes} bytes`);
  }
  return new Response(null, { status: request.method === "HEAD" ? 200 : 204, headers: { ...headers, Location: `/api/v1/contributions/${finished.contributionId}` } });
}

const doneHeaders = (size: number) => ({
  "Tus-Resumable": "1.0.0",
  "Upload-Offset": String(size),
  "Upload-Length": String(size),
  "Cache-Control": "no-store",
});

/**
 * After tus answered: a HEAD that finds every byte in imports them (the final PATCH's answer may
 * have been lost, or its instance died); a finished PATCH names the contribution; a termination
 * drops the record; a plain-text refusal becomes a problem.
 */
async function withOutcome(request: Request, response: Response, state: RequestState, uploadId: string | undefined): Promise<Response> {
  if (response.status === 404 && uploadId) {
    // It was there when the request began: it completed meanwhile (another request held the lock and imported it).
    const answered = await answerForKnownUpload(request, state.userId, uploadId).catch((error: unknown) => problemResponse(error, UPLOADS_PATH, tusHeaders(response)));
    if (answered) return answered;
  }
  if (response.status >= 400) return problemResponse(new AppError(response.status, "upload_refused", (await response.text()).trim() || "Upload refused"), UPLOADS_PATH, tusHeaders(response));
  if (request.method === "HEAD" && uploadId && response.headers.get("upload-offset") === response.headers.get("upload-length")) {
    state.finished = await finishUpload(uploadId);
    for (const [k, v] of Object.entries(finishedHeaders(state.finished))) response.headers.set(k, v);
  }
  if (request.method === "DELETE" && uploadId) await deleteUploadRecord(uploadId);
  if (state.finished && request.method !== "POST") response.headers.set("Location", `/api/v1/contributions/${state.finished.contributionId}`);
  return response;
}

/** The protocol headers of tus's answer, kept on a problem that replaces its body. */
function tusHeaders(response: Response): Headers {
  const headers = new Headers();
  for (const name of ["Tus-Resumable", "Upload-Offset", "Upload-Expires"]) {
    const value = response.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

function creationOf(request: Request): UploadCreation {
  if (request.headers.get("content-type") === "application/offset+octet-stream" || Number(request.headers.get("content-length") ?? 0) > 0) {
    throw new BadRequestError("The creation takes no bytes (creation-with-upload is not offered): PATCH them to the upload's URL");
  }
  const rawLength = request.headers.get("upload-length");
  const length = rawLength === null ? undefined : /^\d{1,16}$/.test(rawLength) ? Number(rawLength) : Number.NaN;
  if (Number.isNaN(length)) throw new BadRequestError("Upload-Length must be a non-negative whole number of bytes");
  let metadata: Record<string, string | null | undefined> = {};
  const raw = request.headers.get("upload-metadata");
  if (raw !== null && raw.trim() !== "") {
    try {
      metadata = Metadata.parse(raw);
    } catch {
      throw new BadRequestError("Upload-Metadata must be comma-separated pairs of a key and a Base64 value");
    }
  }
  return checkUploadCreation(length, metadata);
}

/** The PATCH's Upload-Checksum ("sha1 <base64>"), or undefined; an algorithm we do not verify is a 400. */
function checksumOf(request: Request): ExpectedChecksum | undefined {
  const header = request.headers.get("upload-checksum");
  if (header === null) return undefined;
  const match = CHECKSUM_HEADER.exec(header.trim());
  if (!match) throw new BadRequestError('Upload-Checksum must be an algorithm and a Base64 digest, such as "sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0="');
  const algorithm = match[1]!.toLowerCase() as ChecksumAlgorithm;
  if (!CHECKSUM_ALGORITHMS.includes(algorithm)) throw new BadRequestError(`Upload-Checksum algorithm "${match[1]}" is not supported (${CHECKSUM_ALGORITHMS.join(", ")})`);
  return { algorithm, digest: Buffer.from(match[2]!, "base64") };
}
