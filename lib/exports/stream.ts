import "server-only";

import { getDb, queryRows } from "@/db/client";
import { log } from "@/lib/log";
import { sql } from "drizzle-orm";

import { finishExportAudit, startExportAudit } from "./audit";
import { OWN_DATASETS, isoTime, type ExportDataset } from "./datasets";
import { csvHeader } from "./encode";
import { streamed } from "./reclaim";
import { EXPORT_PAGE_SIZE, exportPages, type ExportFilters } from "./rows";

export type ExportFormat = "csv" | "ndjson";

export const EXPORT_FORMATS = ["csv", "ndjson"] as const satisfies readonly ExportFormat[];

export const MEDIA_TYPES: Record<ExportFormat | "json", string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson",
  json: "application/json",
};

/**
 * A byte stream pulled one chunk at a time: `next` is called only when the reader wants more (the
 * socket drained), so at most a page or two is ever held, whatever the export's size. A chunk is a
 * whole page as PostgreSQL encoded it, forwarded as the one Uint8Array the driver gave. `done(rows,
 * completed)` runs once, at the end or when the reader cancels.
 */
function pulledStream(chunks: AsyncGenerator<string | Uint8Array>, done: (completed: boolean) => Promise<void>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let settled = false;
  const settle = async (completed: boolean) => {
    if (settled) return;
    settled = true;
    try {
      await done(completed);
    } catch (error) {
      log.error("export audit not finished", { error });
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done: end } = await chunks.next();
          if (end) {
            await settle(true);
            controller.close();
          } else {
            const bytes = typeof value === "string" ? encoder.encode(value) : value;
            controller.enqueue(bytes);
            streamed(bytes.byteLength);
          }
        } catch (error) {
          log.error("export failed", { error });
          await settle(false);
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
        await settle(false);
      },
    },
    { highWaterMark: 0 },
  );
}

export interface ExportRequest {
  actorId: string;
  dataset: ExportDataset;
  format: ExportFormat;
  filters: ExportFilters;
  pageSize?: number;
}

/** An admin's export of one dataset as CSV or NDJSON, audited. */
export async function datasetExport(input: ExportRequest): Promise<ReadableStream<Uint8Array>> {
  const auditId = await startExportAudit({ actorId: input.actorId, dataset: input.dataset.name, format: input.format, filters: input.filters });
  const { columns } = input.dataset;
  let count = 0;
  async function* chunks(): AsyncGenerator<string | Uint8Array> {
    if (input.format === "csv") yield csvHeader(columns);
    for await (const page of exportPages(input.dataset, { kind: "admin" }, input.filters, input.format, input.pageSize ?? EXPORT_PAGE_SIZE)) {
      count += page.rows;
      yield page.body;
    }
  }
  return pulledStream(chunks(), (completed) => finishExportAudit(auditId, count, completed));
}

interface ProfileRow {
  address: string;
  username: string | null;
  email: string | null;
  roles: string;
  reputation: string;
  vote_weight: string;
  agreement: string | null;
  scored_votes: string;
  created_at: string;
}

/**
 * Everything of one user's, as one JSON document streamed section by section: their profile, then
 * each own dataset (contributions, their votes, rewards, payments, API key metadata) a page at a
 * time. Never a secret: no key hashes, no sessions, no Stripe customer id.
 */
export async function ownDataExport(input: { userId: string; pageSize?: number }): Promise<ReadableStream<Uint8Array>> {
  const auditId = await startExportAudit({ actorId: input.userId, dataset: "own-data", format: "json", filters: {} });
  let count = 0;
  async function* chunks(): AsyncGenerator<string | Uint8Array> {
    const [p] = await queryRows<ProfileRow>(
      getDb(),
      sql`SELECT address, username, email, to_jsonb(roles)::text AS roles, reputation::text AS reputation, vote_weight::text AS vote_weight,
            agreement::text AS agreement, scored_votes::text AS scored_votes, ${sql.raw(isoTime("created_at"))} AS created_at
          FROM users WHERE id = ${input.userId}::uuid`,
    );
    const profile = p && {
      address: p.address,
      username: p.username,
      email: p.email,
      roles: JSON.parse(p.roles) as string[],
      reputation: p.reputation,
      vote_weight: p.vote_weight,
      agreement: p.agreement,
      scored_votes: Number(p.scored_votes),
      created_at: p.created_at,
    };
    yield `{"format":"nwu-own-data/1","exported_at":${JSON.stringify(new Date().toISOString())},"profile":${JSON.stringify(profile ?? null)}`;
    for (const d of OWN_DATASETS) {
      yield `,${JSON.stringify(d.name)}:[`;
      let first = true;
      for await (const page of exportPages(d, { kind: "own", userId: input.userId }, {}, "json-array", input.pageSize ?? EXPORT_PAGE_SIZE)) {
        count += page.rows;
        if (!first) yield ",";
        yield page.body;
        first = false;
      }
      yield "]";
    }
    yield "}\n";
  }
  return pulledStream(chunks(), (completed) => finishExportAudit(auditId, count, completed));
}
