ALTER TYPE "public"."agent_type" ADD VALUE 'external';--> statement-breakpoint
ALTER TABLE "contributions" ADD COLUMN "status_before_hold" "contribution_status";--> statement-breakpoint
CREATE INDEX "contributions_open_created_at_id_idx" ON "contributions" USING btree ("created_at","id") WHERE "contributions"."status" in ('pending', 'verifying');