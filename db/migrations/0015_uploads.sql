CREATE TYPE "public"."upload_status" AS ENUM('receiving', 'done');--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "upload_status" DEFAULT 'receiving' NOT NULL,
	"size_bytes" bigint NOT NULL,
	"file_name" text NOT NULL,
	"fields" jsonb NOT NULL,
	"contribution_id" uuid,
	"duplicate" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "uploads_size_nonnegative" CHECK ("uploads"."size_bytes" >= 0)
);
--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_contribution_id_contributions_id_fk" FOREIGN KEY ("contribution_id") REFERENCES "public"."contributions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "uploads_user_id_status_created_at_id_idx" ON "uploads" USING btree ("user_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "uploads_contribution_id_idx" ON "uploads" USING btree ("contribution_id");