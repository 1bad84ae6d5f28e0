CREATE TYPE "public"."meter_report_status" AS ENUM('pending', 'sending', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "api_usage_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"plan" "plan" NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"included" integer NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"reported" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_usage_periods_subscription_id_period_start_key" UNIQUE("subscription_id","period_start"),
	CONSTRAINT "api_usage_periods_counts_nonnegative" CHECK ("api_usage_periods"."requests" >= 0 AND "api_usage_periods"."included" >= 0 AND "api_usage_periods"."reported" >= 0)
);
--> statement-breakpoint
CREATE TABLE "meter_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"usage_period_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"identifier" text NOT NULL,
	"quantity" integer NOT NULL,
	"event_at" timestamp with time zone NOT NULL,
	"carried_over" boolean DEFAULT false NOT NULL,
	"status" "meter_report_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"reconciled" boolean DEFAULT false NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meter_reports_identifier_key" UNIQUE("identifier"),
	CONSTRAINT "meter_reports_quantity_positive" CHECK ("meter_reports"."quantity" > 0)
);
--> statement-breakpoint
ALTER TABLE "api_usage_periods" ADD CONSTRAINT "api_usage_periods_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_usage_periods" ADD CONSTRAINT "api_usage_periods_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_reports" ADD CONSTRAINT "meter_reports_usage_period_id_api_usage_periods_id_fk" FOREIGN KEY ("usage_period_id") REFERENCES "public"."api_usage_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_reports" ADD CONSTRAINT "meter_reports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_usage_periods_user_id_period_start_idx" ON "api_usage_periods" USING btree ("user_id","period_start");--> statement-breakpoint
CREATE INDEX "api_usage_periods_unreported_idx" ON "api_usage_periods" USING btree ("updated_at") WHERE "api_usage_periods"."requests" > "api_usage_periods"."included" + "api_usage_periods"."reported";--> statement-breakpoint
CREATE INDEX "meter_reports_usage_period_id_idx" ON "meter_reports" USING btree ("usage_period_id");--> statement-breakpoint
CREATE INDEX "meter_reports_user_id_created_at_idx" ON "meter_reports" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "meter_reports_status_next_attempt_at_idx" ON "meter_reports" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "meter_reports_stripe_customer_id_event_at_idx" ON "meter_reports" USING btree ("stripe_customer_id","event_at");--> statement-breakpoint
CREATE INDEX "meter_reports_sent_at_idx" ON "meter_reports" USING btree ("sent_at");