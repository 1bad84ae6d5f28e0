CREATE TYPE "public"."reward_kind" AS ENUM('verification', 'revenue_share');--> statement-breakpoint
CREATE TABLE "contribution_reads" (
	"period" date NOT NULL,
	"contribution_id" uuid NOT NULL,
	"reads" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contribution_reads_pkey" PRIMARY KEY("period","contribution_id"),
	CONSTRAINT "contribution_reads_positive" CHECK ("contribution_reads"."reads" > 0)
);
--> statement-breakpoint
CREATE TABLE "revenue_share_periods" (
	"period" date PRIMARY KEY NOT NULL,
	"revenue_cents" bigint NOT NULL,
	"refunds_cents" bigint NOT NULL,
	"refunds_seen_cents" bigint NOT NULL,
	"share_percent" numeric(5, 2) NOT NULL,
	"nwu_per_usd" numeric(38, 18) NOT NULL,
	"carried_in_wei" numeric(78, 0) NOT NULL,
	"pool_wei" numeric(78, 0) NOT NULL,
	"allocated_wei" numeric(78, 0) NOT NULL,
	"carried_out_wei" numeric(78, 0) NOT NULL,
	"eligible_reads" bigint NOT NULL,
	"rewards" integer NOT NULL,
	"closed_by" uuid,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rewards" DROP CONSTRAINT "rewards_contribution_id_key";--> statement-breakpoint
ALTER TABLE "rewards" ADD COLUMN "kind" "reward_kind" DEFAULT 'verification' NOT NULL;--> statement-breakpoint
ALTER TABLE "rewards" ADD COLUMN "period" date;--> statement-breakpoint
ALTER TABLE "contribution_reads" ADD CONSTRAINT "contribution_reads_contribution_id_contributions_id_fk" FOREIGN KEY ("contribution_id") REFERENCES "public"."contributions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revenue_share_periods" ADD CONSTRAINT "revenue_share_periods_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contribution_reads_contribution_id_idx" ON "contribution_reads" USING btree ("contribution_id");--> statement-breakpoint
CREATE INDEX "revenue_share_periods_closed_by_idx" ON "revenue_share_periods" USING btree ("closed_by");--> statement-breakpoint
CREATE UNIQUE INDEX "rewards_verification_contribution_key" ON "rewards" USING btree ("contribution_id") WHERE "rewards"."kind" = 'verification';--> statement-breakpoint
CREATE UNIQUE INDEX "rewards_revenue_share_contribution_period_key" ON "rewards" USING btree ("contribution_id","period") WHERE "rewards"."kind" = 'revenue_share';--> statement-breakpoint
CREATE INDEX "rewards_period_id_idx" ON "rewards" USING btree ("period","id") WHERE "rewards"."kind" = 'revenue_share';--> statement-breakpoint
CREATE INDEX "rewards_contribution_id_idx" ON "rewards" USING btree ("contribution_id");--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_period_kind" CHECK (("rewards"."kind" = 'verification') = ("rewards"."period" IS NULL));