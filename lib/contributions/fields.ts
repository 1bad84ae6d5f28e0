import { sql, type Column, type SQL } from "drizzle-orm";
import { z } from "zod";

import { isoText } from "@/db/iso-text";
import { contributionStatus, contributions, fileType, rewardStatus, users } from "@/db/schema";
import { checksum } from "@/lib/checksum";
import { walletAddress } from "@/lib/address";
import { appealSchema, decisionSchema } from "@/lib/verification/decision";

/**
 * Every field of a contribution as the API shows it, written once. Each entry says where it comes
 * from (the drizzle column and the row key it is selected under), how the hot list statement
 * selects it already in the API's shape (`list`, default: the column itself), how a drizzle row
 * value becomes the API value (`decode`, default: as is) and what the API promises (`schema`, which
 * the OpenAPI document is generated from). The selection, the raw list columns, both mappers, the
 * PublicContribution type and the OpenAPI schema are all derived from this table; a decoder or
 * schema that disagrees with its column does not compile.
 */
type ColumnValue<C extends Column> = C["_"]["notNull"] extends true ? C["_"]["data"] : C["_"]["data"] | null;

interface FieldDef<K extends string, C extends Column, S extends z.ZodType> {
  /** Key of the drizzle selection (and of ContributionRow). */
  key: K;
  column: C;
  schema: S;
  /** The SQL expression that yields the API value directly (the list path decodes nothing else). */
  list?: SQL;
  decode?: (value: ColumnValue<C>) => z.output<S>;
  /** Applied to the list path's value too (the list SQL cannot compute it). */
  decodeListToo?: boolean;
}

/** A field whose column value is its API value. */
const plain = <K extends string, C extends Column, S extends z.ZodType<ColumnValue<C>>>(key: K, column: C, schema: S, list?: SQL): FieldDef<K, C, S> => ({
  key,
  column,
  schema,
  list,
});

/** A field whose API value is computed from its column value. */
const decoded = <K extends string, C extends Column, S extends z.ZodType, L extends boolean = false>(
  key: K,
  column: C,
  schema: S,
  decode: (value: ColumnValue<C>) => z.output<S>,
  options: { list?: SQL; decodeListToo?: L } = {},
) => ({ key, column, schema, decode, list: options.list, decodeListToo: options.decodeListToo }) as FieldDef<K, C, S> & { decodeListToo?: L };

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;
const dateTime = z.iso.datetime();

export const addressSchema = walletAddress().describe("EIP-55 checksummed wallet address");

export const contributionFields = {
  id: plain("id", contributions.id, z.uuid()),
  owner: decoded("ownerAddress", users.address, addressSchema, checksum, { decodeListToo: true }),
  cid: plain("cid", contributions.cid, z.string().describe("IPFS CID (v1) of the bytes; also the download's ETag (empty in a withheld placeholder)")),
  sha256: plain("sha256", contributions.sha256, z.string().regex(/^(?:[0-9a-f]{64})?$/).describe("SHA-256 of the bytes, hex (empty in a withheld placeholder)")),
  file_name: plain("fileName", contributions.fileName, z.string()),
  file_type: plain("fileType", contributions.fileType, z.enum(fileType.enumValues)),
  media_type: plain("mediaType", contributions.mediaType, z.string()),
  size: plain("sizeBytes", contributions.sizeBytes, z.int().min(0).describe("Bytes (0 in a withheld placeholder)"), sql`${contributions.sizeBytes}::float8`),
  title: plain("title", contributions.title, z.string()),
  description: plain("description", contributions.description, z.string()),
  metadata: plain("metadata", contributions.metadata, z.record(z.string(), z.unknown()).describe("The uploader's JSON object")),
  status: plain("status", contributions.status, z.enum(contributionStatus.enumValues)),
  quality_score: plain("qualityScore", contributions.qualityScore, z.number().min(0).max(100).nullable(), sql`${contributions.qualityScore}::float8`),
  verification_count: plain("verificationCount", contributions.verificationCount, z.int().min(0)),
  duplicate_of: plain("duplicateOf", contributions.duplicateOf, z.uuid().nullable().describe("The earliest upload of the same bytes by another user")),
  halt_reason: plain("haltReason", contributions.haltReason, z.string().nullable().describe("Why a moderator halted or paused it (owner and admins only)")),
  created_at: decoded("createdAt", contributions.createdAt, dateTime, iso, { list: isoText(contributions.createdAt) }),
  updated_at: decoded("updatedAt", contributions.updatedAt, dateTime, iso, { list: isoText(contributions.updatedAt) }),
  decided_at: decoded("decidedAt", contributions.decidedAt, dateTime.nullable(), isoOrNull, { list: isoText(contributions.decidedAt) }),
};

type Fields = typeof contributionFields;
type ApiName = keyof Fields;
type AnyField = FieldDef<string, Column, z.ZodType>;

const entries = Object.entries(contributionFields) as [ApiName, AnyField][];

/** The API's contribution, as zod (response objects stay open: clients ignore fields they do not know). */
export const contributionSchema = z.object(Object.fromEntries(entries.map(([name, f]) => [name, f.schema])) as { [K in ApiName]: Fields[K]["schema"] });

/** A contribution as the API and pages show it (snake_case, owner by checksummed address). */
export type PublicContribution = z.output<typeof contributionSchema>;

/** The answer of GET /api/v1/contributions/{id} (and of an upload): the contribution and its reward, if any. */
export const contributionDetailSchema = contributionSchema.extend({
  decision: decisionSchema.nullable().describe("How the verdict was reached; null until the contribution is decided (the votes are sealed until then). During an appeal, the first round's"),
  appeal: appealSchema.nullable().describe("The owner's appeal of a rejection, if any (one per contribution)"),
  reward: z
    .object({ amount: z.string().regex(/^\d+(\.\d+)?$/).describe("NWU, exact decimal"), status: z.enum(rewardStatus.enumValues), tx_hash: z.string().nullable() })
    .nullable()
    .describe("Its verification reward, if any (revenue-share rewards are listed with the owner's rewards)"),
  api_reads: z
    .object({
      period: z.iso.date().describe("The current month (its first day, UTC)"),
      count: z.int().min(0).describe("Reads of its detail or file this month by paid-plan API keys other than its owner's: its weight in the month's revenue share (counted in batches, up to a second behind)"),
    })
    .describe("API reads this month, the basis of its share of API revenue"),
});

/** The drizzle selection: what a contribution shows, plus its owner's address, in one joined statement. */
export const contributionColumns = Object.fromEntries(entries.map(([, f]) => [f.key, f.column])) as { [K in ApiName as Fields[K]["key"]]: Fields[K]["column"] };

/** A row selected with contributionColumns. */
export type ContributionRow = { [K in ApiName as Fields[K]["key"]]: ColumnValue<Fields[K]["column"]> };

export function toPublicContribution(row: ContributionRow): PublicContribution {
  const source = row as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, f] of entries) out[name] = f.decode ? f.decode(source[f.key] as never) : source[f.key];
  return out as PublicContribution;
}

/**
 * The list's columns, already in the API's shape (snake_case names, ISO dates, numbers as numbers):
 * the rows need no per-column decoding, only what `decodeListToo` names (the owner's checksum).
 */
export const LIST_COLUMNS: SQL = sql.join(
  entries.map(([name, f]) => sql`${f.list ?? sql`${f.column}`} AS ${sql.identifier(name)}`),
  sql`, `,
);

const LIST_DECODERS = entries.filter(([, f]) => f.decodeListToo).map(([name, f]) => [name, f.decode!] as const);

/**
 * A row of the raw list statement (LIST_COLUMNS plus whatever the query adds, e.g. its cursor): the
 * API's values, except those the SQL cannot compute (typed as their raw text). The list test checks
 * it against the drizzle path on both drivers.
 */
export type ListRow<Extra extends string = never> = Omit<PublicContribution, ListDecoded> & Record<ListDecoded | Extra, string>;
type ListDecoded = { [K in ApiName]: Fields[K] extends { decodeListToo?: true } ? K : never }[ApiName];

/** A list row as the API answers it: the API fields (in table order), decoded where the SQL could not. */
export function toListItem<Extra extends string>(row: ListRow<Extra>): PublicContribution {
  const out: Record<string, unknown> = {};
  const source = row as unknown as Record<string, unknown>;
  for (const [name] of entries) out[name] = source[name];
  for (const [name, decode] of LIST_DECODERS) out[name] = decode(source[name] as never);
  return out as PublicContribution;
}
