CREATE TABLE "withheld_blocks" (
	"block_cid" text NOT NULL,
	"root_cid" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "withheld_blocks_block_cid_root_cid_pk" PRIMARY KEY("block_cid","root_cid")
);
--> statement-breakpoint
CREATE INDEX "withheld_blocks_root_cid_idx" ON "withheld_blocks" USING btree ("root_cid");