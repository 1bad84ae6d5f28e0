CREATE TYPE "public"."appeal_status" AS ENUM('open', 'overturned', 'upheld');--> statement-breakpoint
CREATE TYPE "public"."calibration_verdict" AS ENUM('verified', 'rejected');--> statement-breakpoint
CREATE TABLE "appeals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contribution_id" uuid NOT NULL,
	"appellant_id" uuid NOT NULL,
	"statement" text NOT NULL,
	"status" "appeal_status" DEFAULT 'open' NOT NULL,
	"first_decision" jsonb,
	"first_score" double precision,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appeals_contribution_id_key" UNIQUE("contribution_id"),
	CONSTRAINT "appeals_statement_length" CHECK (char_length("appeals"."statement") BETWEEN 1 AND 2000)
);
--> statement-breakpoint
CREATE TABLE "calibration_items" (
	"contribution_id" uuid PRIMARY KEY NOT NULL,
	"known_verdict" "calibration_verdict" NOT NULL,
	"score_min" smallint NOT NULL,
	"score_max" smallint NOT NULL,
	"marked_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calibration_items_range" CHECK (0 <= "calibration_items"."score_min" AND "calibration_items"."score_min" <= "calibration_items"."score_max" AND "calibration_items"."score_max" <= 100)
);
--> statement-breakpoint
CREATE TABLE "calibration_scores" (
	"verification_id" uuid PRIMARY KEY NOT NULL,
	"verifier_id" uuid NOT NULL,
	"contribution_id" uuid NOT NULL,
	"agrees" boolean NOT NULL,
	"error" double precision NOT NULL,
	"voted_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "contributions_open_id_idx";--> statement-breakpoint
DROP INDEX "contributions_open_created_at_id_idx";--> statement-breakpoint
-- 'appealed' joins contribution_status by recreating the type, not ALTER TYPE ... ADD VALUE: the
-- migrator applies every pending migration in ONE transaction, and a value added that way cannot be
-- used (the partial indexes below name it) before that transaction commits.
ALTER TYPE "public"."contribution_status" RENAME TO "contribution_status_before_appeals";--> statement-breakpoint
CREATE TYPE "public"."contribution_status" AS ENUM('pending', 'verifying', 'verified', 'rejected', 'halted', 'paused', 'appealed');--> statement-breakpoint
ALTER TABLE "contributions" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "contributions" ALTER COLUMN "status" TYPE "public"."contribution_status" USING "status"::text::"public"."contribution_status";--> statement-breakpoint
ALTER TABLE "contributions" ALTER COLUMN "status_before_hold" TYPE "public"."contribution_status" USING "status_before_hold"::text::"public"."contribution_status";--> statement-breakpoint
ALTER TABLE "contributions" ALTER COLUMN "status" SET DEFAULT 'pending';--> statement-breakpoint
DROP TYPE "public"."contribution_status_before_appeals";--> statement-breakpoint
ALTER TABLE "contributions" ADD COLUMN "calibration" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "calibration_seen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "calibration_agreement" double precision;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "calibration_error" double precision;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "platform" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "verifications" ADD COLUMN "round" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_contribution_id_contributions_id_fk" FOREIGN KEY ("contribution_id") REFERENCES "public"."contributions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_appellant_id_users_id_fk" FOREIGN KEY ("appellant_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_items" ADD CONSTRAINT "calibration_items_contribution_id_contributions_id_fk" FOREIGN KEY ("contribution_id") REFERENCES "public"."contributions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_items" ADD CONSTRAINT "calibration_items_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_scores" ADD CONSTRAINT "calibration_scores_verification_id_verifications_id_fk" FOREIGN KEY ("verification_id") REFERENCES "public"."verifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_scores" ADD CONSTRAINT "calibration_scores_verifier_id_users_id_fk" FOREIGN KEY ("verifier_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_scores" ADD CONSTRAINT "calibration_scores_contribution_id_contributions_id_fk" FOREIGN KEY ("contribution_id") REFERENCES "public"."contributions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appeals_status_created_at_idx" ON "appeals" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "appeals_appellant_id_idx" ON "appeals" USING btree ("appellant_id");--> statement-breakpoint
CREATE INDEX "calibration_items_created_at_idx" ON "calibration_items" USING btree ("created_at","contribution_id");--> statement-breakpoint
CREATE INDEX "calibration_items_marked_by_idx" ON "calibration_items" USING btree ("marked_by");--> statement-breakpoint
CREATE INDEX "calibration_scores_verifier_id_voted_at_idx" ON "calibration_scores" USING btree ("verifier_id","voted_at");--> statement-breakpoint
CREATE INDEX "calibration_scores_contribution_id_idx" ON "calibration_scores" USING btree ("contribution_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_platform_key" ON "users" USING btree ("platform") WHERE "users"."platform";--> statement-breakpoint
CREATE INDEX "users_calibration_agreement_idx" ON "users" USING btree ("calibration_agreement","id") WHERE "users"."calibration_seen" > 0;--> statement-breakpoint
CREATE INDEX "contributions_open_id_idx" ON "contributions" USING btree ("id") WHERE "contributions"."status" in ('pending', 'verifying', 'appealed');--> statement-breakpoint
CREATE INDEX "contributions_open_created_at_id_idx" ON "contributions" USING btree ("created_at","id") WHERE "contributions"."status" in ('pending', 'verifying', 'appealed');