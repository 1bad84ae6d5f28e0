import { actingUserId, apiRoute } from "@/lib/api/principal";
import { handleTus, tusOptions } from "@/lib/api/tus";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

/** The bytes of an upload: not rate limited nor counted (its creation was). */
const UPLOAD_BYTES = { scope: "contributions:write", allow: "session", metered: false } as const;

/** Where to resume: Upload-Offset; once complete, the contribution it became (Upload-Contribution-Id). */
export const HEAD = apiRoute<Ctx>(UPLOAD_BYTES, async (request, { params }, principal) => handleTus(request, actingUserId(principal), (await params).id));

/** The next bytes, from Upload-Offset (Content-Type: application/offset+octet-stream; Upload-Checksum optional). */
export const PATCH = apiRoute<Ctx>(UPLOAD_BYTES, async (request, { params }, principal) => handleTus(request, actingUserId(principal), (await params).id));

/** tus termination: the partial bytes and the upload are removed. */
export const DELETE = apiRoute<Ctx>(UPLOAD_BYTES, async (request, { params }, principal) => handleTus(request, actingUserId(principal), (await params).id));

export const OPTIONS = apiRoute({ scope: "contributions:write", allow: "anonymous", metered: false }, (request) => tusOptions(request));
