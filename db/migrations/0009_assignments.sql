CREATE TYPE "public"."assignment_status" AS ENUM('live', 'voted', 'skipped', 'expired');--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contribution_id" uuid NOT NULL,
	"verifier_id" uuid NOT NULL,
	"status" "assignment_status" DEFAULT 'live' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_contribution_id_contributions_id_fk" FOREIGN KEY ("contribution_id") REFERENCES "public"."contributions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_verifier_id_users_id_fk" FOREIGN KEY ("verifier_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assignments_live_key" ON "assignments" USING btree ("contribution_id","verifier_id") WHERE "assignments"."status" = 'live';--> statement-breakpoint
CREATE INDEX "assignments_contribution_id_status_idx" ON "assignments" USING btree ("contribution_id","status");--> statement-breakpoint
CREATE INDEX "assignments_verifier_id_status_created_at_idx" ON "assignments" USING btree ("verifier_id","status","created_at");--> statement-breakpoint
CREATE INDEX "contributions_open_id_idx" ON "contributions" USING btree ("id") WHERE "contributions"."status" in ('pending', 'verifying');