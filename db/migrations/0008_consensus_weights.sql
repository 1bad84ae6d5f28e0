ALTER TABLE "contributions" ADD COLUMN "decision_weight" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contributions" ADD COLUMN "decision" jsonb;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "vote_weight" double precision DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "agreement" double precision;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "scored_votes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "verifications" ADD COLUMN "weight" double precision DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "verifications" ADD COLUMN "salt" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "verifications" ADD COLUMN "commitment" text;--> statement-breakpoint
-- Sealed ballots: the running average of undecided work is no longer kept (it was readable while voting was open).
UPDATE "contributions" SET "quality_score" = NULL WHERE "decided_at" IS NULL;
