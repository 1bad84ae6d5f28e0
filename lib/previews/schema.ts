import { z } from "zod";

/** The preview shapes, defined once: the previewers' types, the stored body and the API's answers. */

export const archiveEntrySchema = z.object({
  path: z.string().describe("The name as stored (never used to write anything)"),
  kind: z.enum(["file", "directory", "symlink", "link", "other"]),
  size: z.number().int().min(0).describe("Declared size once extracted"),
  compressed_size: z.number().int().min(0).optional().describe("Stored size (zip)"),
  unsafe: z.string().optional().describe("Why extracting this entry would be dangerous (traversal, absolute path, link, depth, bomb-like ratio); nothing is ever extracted"),
  target: z.string().optional().describe("A link's declared target"),
});

export const archiveListingSchema = z.object({
  format: z.enum(["zip", "tar"]),
  entries: z.array(archiveEntrySchema),
  declared_entries: z.number().int().min(0).nullable().describe("Entries the archive declares (zip); null where only walking counts them (tar)"),
  partial: z.boolean().describe("The list stops short of the whole archive (see reason)"),
  reason: z.string().optional(),
  declared_bytes: z.number().min(0).describe("Sum of the declared sizes listed"),
});

export const arrayPreviewSchema = z.object({
  dtype: z.string().describe("NumPy dtype descriptor, e.g. <f4"),
  shape: z.array(z.number().int().min(0)),
  fortran_order: z.boolean(),
  elements: z.number().int().min(0),
  first: z.array(z.union([z.number(), z.boolean(), z.string()])).describe("The first values in storage order (64-bit integers as strings)"),
});

export const tableColumnSchema = z.object({
  name: z.string(),
  type: z.enum(["integer", "number", "boolean", "date", "string"]).describe("The narrowest type all non-null sampled values fit"),
  nulls: z.number().int().min(0).describe("Empty or null-like values in the sample (empty, NA, N/A, null, None, NaN, -)"),
  non_null: z.number().int().min(0),
  min: z.number().optional(),
  max: z.number().optional(),
  mean: z.number().optional(),
  distinct: z.number().int().min(0).optional().describe("Distinct values in the sample (text columns)"),
  top: z.array(z.object({ value: z.string(), count: z.number().int().min(1) })).optional().describe("Most frequent values in the sample (text columns)"),
});

export const tablePreviewSchema = z.object({
  kind: z.literal("table"),
  format: z.enum(["csv", "tsv", "ndjson", "json", "parquet", "arrow", "sqlite"]),
  table: z.string().optional().describe("SQLite: the table shown (the first in its schema)"),
  tables: z.array(z.string()).optional().describe("SQLite: every table in the database"),
  total_rows: z.number().int().min(0).optional().describe("Rows in the whole file, where its format says (Parquet)"),
  columns: z.array(tableColumnSchema),
  rows: z.array(z.array(z.string())).describe("The first page of rows (100 at most), cells as text"),
  sample: z.object({ rows: z.number().int().min(0), bytes: z.number().int().min(0), whole_file: z.boolean() }).describe("What the column statistics cover"),
  truncated: z.boolean().describe("More rows exist than this page shows"),
  reason: z.string().optional().describe("Why no rows are shown although the file has some (Parquet column chunks beyond the preview's reading budget)"),
});

export const previewSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), text: z.string(), truncated: z.boolean() }),
  z.object({
    kind: z.literal("code"),
    language: z.string().describe("The language highlighted (shiki's name; text when unknown)"),
    html: z.string().describe("The beginning of the source, escaped and highlighted (inline styles only)"),
    truncated: z.boolean(),
  }),
  z.object({
    kind: z.literal("markdown"),
    html: z.string().describe("Rendered with raw HTML escaped and unsafe links refused; images from elsewhere shown as links, not loaded"),
    remote_images: z.number().int().min(0),
    truncated: z.boolean(),
  }),
  tablePreviewSchema,
  z.object({ kind: z.literal("archive"), listing: archiveListingSchema, shown: z.number().int().min(0).describe("Entries kept in this preview (the listing route pages through all)") }),
  z.object({ kind: z.literal("array"), array: arrayPreviewSchema }),
  z.object({
    kind: z.literal("image"),
    media_type: z.string(),
    width: z.number().int().min(0).nullable(),
    height: z.number().int().min(0).nullable(),
    thumbnail: z.boolean().describe("GET /api/v1/contributions/{id}/thumbnail serves a WebP of at most 256 × 256"),
    reason: z.string().optional().describe("Why there is no thumbnail"),
  }),
  z.object({
    kind: z.literal("pdf"),
    pages: z.number().int().min(0),
    text: z.string().describe("The first page's text (pdf.js), at most 8,000 characters"),
    truncated: z.boolean(),
  }),
  z.object({ kind: z.literal("unreadable"), media_type: z.string(), reason: z.string().describe("Why the bytes cannot be read as their format says") }),
  z.object({ kind: z.literal("binary"), media_type: z.string() }),
]);

export type ArchiveEntry = z.output<typeof archiveEntrySchema>;
export type ArchiveListing = z.output<typeof archiveListingSchema>;
export type ArrayPreview = z.output<typeof arrayPreviewSchema>;
export type Preview = z.output<typeof previewSchema>;
export type TableColumn = z.output<typeof tableColumnSchema>;
export type TablePreview = z.output<typeof tablePreviewSchema>;
export type EntryKind = ArchiveEntry["kind"];

/** GET /api/v1/contributions/{id}/preview. */
export const previewAnswerSchema = z.object({
  contribution_id: z.uuid(),
  previewer_version: z.number().int().describe("The previewer that computed it; a newer one recomputes"),
  computed_at: z.iso.datetime({ offset: true }),
  bytes_read: z.number().int().min(0).describe("Bytes the preview read from the node"),
  preview: previewSchema,
});

/** GET /api/v1/contributions/{id}/rows: a page of a tabular file's rows. */
export const rowsQuery = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0).describe("Rows to skip (the file's order)"),
});

export const rowsAnswerSchema = z.object({
  contribution_id: z.uuid(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())).describe("Up to 100 rows from `offset`, cells as text"),
  offset: z.number().int().min(0),
  next_offset: z.number().int().min(0).nullable().describe("The next page's offset; null at the end (or at the reading budget: see reason)"),
  total_rows: z.number().int().min(0).optional().describe("Rows in the file, where known"),
  reason: z.string().optional().describe("Why no further rows are served"),
});

export type RowsAnswer = z.output<typeof rowsAnswerSchema>;

/** GET /api/v1/contributions/{id}/entries: one page of an archive's listing, or a file inside it. */
export const entriesQuery = z.object({
  path: z.string().min(1).max(4096).optional().describe("A file inside the archive: its preview instead of the listing"),
  offset: z.coerce.number().int().min(0).default(0).describe("Entries to skip (the listing's order is the archive's)"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const entriesAnswerSchema = z.union([
  z.object({ format: z.enum(["zip", "tar"]), items: z.array(archiveEntrySchema), offset: z.number().int(), next_offset: z.number().int().nullable(), partial: z.boolean(), reason: z.string().optional() }),
  z.object({ path: z.string(), entry: archiveEntrySchema, preview: previewSchema }),
]);
