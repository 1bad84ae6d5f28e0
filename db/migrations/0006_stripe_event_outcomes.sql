CREATE TYPE "public"."stripe_event_status" AS ENUM('processed', 'unmatched', 'ignored');--> statement-breakpoint
ALTER TABLE "stripe_events" ADD COLUMN "status" "stripe_event_status" DEFAULT 'processed' NOT NULL;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD COLUMN "object_id" text;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD COLUMN "customer_id" text;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD COLUMN "reason" text;--> statement-breakpoint
CREATE INDEX "stripe_events_unapplied_idx" ON "stripe_events" USING btree ("processed_at","id") WHERE "stripe_events"."status" <> 'processed';