ALTER TABLE "payout_batches" ADD COLUMN "payer_address" text;--> statement-breakpoint
ALTER TABLE "payout_batches" ADD COLUMN "nonce" integer;--> statement-breakpoint
ALTER TABLE "payout_batches" ADD COLUMN "tx_hash" text;--> statement-breakpoint
ALTER TABLE "payout_batches" ADD COLUMN "raw_tx" text;--> statement-breakpoint
ALTER TABLE "payout_batches" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "payout_batches_chain_payer_nonce_key" ON "payout_batches" USING btree ("chain_id","payer_address","nonce");--> statement-breakpoint
CREATE INDEX "payout_batches_tx_hash_idx" ON "payout_batches" USING btree ("tx_hash");