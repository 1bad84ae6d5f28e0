import "server-only";

import { and, asc, eq, inArray, ne, notExists } from "drizzle-orm";

import { getDb } from "@/db/client";
import { contributions, users, verifications } from "@/db/schema";
import { OPEN_STATUSES } from "@/db/vocabulary";
import { after, cursorText, toPage, type Cursor, type Page } from "@/lib/pagination";

import { toPublicContribution, type PublicContribution } from "./model";
import { contributionColumns } from "./queries";

/**
 * What a verifier can vote on: open (pending/verifying), not their own, not yet voted by them —
 * oldest first, keyset-paginated. One statement; the partial "open" index drives it.
 */
export async function awaitingVote(input: { verifierId: string; cursor?: Cursor; limit: number }): Promise<Page<PublicContribution>> {
  const db = getDb();
  const rows = await db
    .select({ ...contributionColumns, cursorAt: cursorText(contributions.createdAt) })
    .from(contributions)
    .innerJoin(users, eq(users.id, contributions.userId))
    .where(
      and(
        inArray(contributions.status, OPEN_STATUSES),
        ne(contributions.userId, input.verifierId),
        notExists(
          db
            .select({ one: verifications.id })
            .from(verifications)
            .where(and(eq(verifications.contributionId, contributions.id), eq(verifications.verifierId, input.verifierId))),
        ),
        input.cursor ? after(contributions.createdAt, contributions.id, input.cursor) : undefined,
      ),
    )
    .orderBy(asc(contributions.createdAt), asc(contributions.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, toPublicContribution);
}
