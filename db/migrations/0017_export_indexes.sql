CREATE INDEX "payments_created_at_id_idx" ON "payments" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "payments_status_created_at_id_idx" ON "payments" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "rewards_created_at_id_idx" ON "rewards" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "verifications_created_at_id_idx" ON "verifications" USING btree ("created_at","id");