CREATE INDEX "users_address_trgm_idx" ON "users" USING gin ("address" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "users_username_trgm_idx" ON "users" USING gin ("username" gin_trgm_ops);