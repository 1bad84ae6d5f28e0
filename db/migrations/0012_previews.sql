CREATE TABLE "previews" (
	"cid" text PRIMARY KEY NOT NULL,
	"version" smallint NOT NULL,
	"body" jsonb NOT NULL,
	"bytes_read" integer NOT NULL,
	"thumbnail" "bytea",
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
