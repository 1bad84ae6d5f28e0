-- The query cache's invalidation (lib/cache, db/cache-tags.ts): after each statement that changes
-- a cached table, one NOTIFY on nwu_cache names the table and the keys of the rows it changed
-- ("contributions c:<id> u:<user id> cid:<cid>"), or "*" past 150 keys. NOTIFY is transactional:
-- every instance hears of a change once it is committed, in commit order, never of a rollback.
CREATE OR REPLACE FUNCTION nwu_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  q text := '';
  pair text;
  src text;
  keys text[];
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('nwu_cache', TG_TABLE_NAME || ' *');
    RETURN NULL;
  END IF;
  FOREACH pair IN ARRAY TG_ARGV LOOP
    FOREACH src IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows'] ELSE ARRAY['old_rows', 'new_rows'] END LOOP
      q := q || CASE WHEN q = '' THEN '' ELSE ' UNION ' END
        || format('SELECT %L || %I::text AS k FROM %I WHERE %I IS NOT NULL', split_part(pair, '=', 1) || ':', split_part(pair, '=', 2), src, split_part(pair, '=', 2));
    END LOOP;
  END LOOP;
  EXECUTE format('SELECT array_agg(k) FROM (SELECT k FROM (%s) x LIMIT 151) y', q) INTO keys;
  -- No row changed (an UPDATE that matched nothing): nothing to say.
  IF keys IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('nwu_cache', TG_TABLE_NAME || ' ' || CASE WHEN cardinality(keys) > 150 THEN '*' ELSE array_to_string(keys, ' ') END);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contributions_cache_insert AFTER INSERT ON contributions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=id', 'u=user_id', 'cid=cid');--> statement-breakpoint
CREATE TRIGGER contributions_cache_update AFTER UPDATE ON contributions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=id', 'u=user_id', 'cid=cid');--> statement-breakpoint
CREATE TRIGGER contributions_cache_delete AFTER DELETE ON contributions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=id', 'u=user_id', 'cid=cid');--> statement-breakpoint
CREATE TRIGGER contributions_cache_truncate AFTER TRUNCATE ON contributions FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify();--> statement-breakpoint
CREATE TRIGGER users_cache_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('u=id');--> statement-breakpoint
CREATE TRIGGER users_cache_update AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('u=id');--> statement-breakpoint
CREATE TRIGGER users_cache_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('u=id');--> statement-breakpoint
CREATE TRIGGER users_cache_truncate AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify();--> statement-breakpoint
CREATE TRIGGER rewards_cache_insert AFTER INSERT ON rewards REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=contribution_id', 'u=user_id');--> statement-breakpoint
CREATE TRIGGER rewards_cache_update AFTER UPDATE ON rewards REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=contribution_id', 'u=user_id');--> statement-breakpoint
CREATE TRIGGER rewards_cache_delete AFTER DELETE ON rewards REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=contribution_id', 'u=user_id');--> statement-breakpoint
CREATE TRIGGER rewards_cache_truncate AFTER TRUNCATE ON rewards FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify();--> statement-breakpoint
CREATE TRIGGER appeals_cache_insert AFTER INSERT ON appeals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=contribution_id');--> statement-breakpoint
CREATE TRIGGER appeals_cache_update AFTER UPDATE ON appeals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=contribution_id');--> statement-breakpoint
CREATE TRIGGER appeals_cache_delete AFTER DELETE ON appeals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=contribution_id');--> statement-breakpoint
CREATE TRIGGER appeals_cache_truncate AFTER TRUNCATE ON appeals FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify();--> statement-breakpoint
CREATE TRIGGER previews_cache_insert AFTER INSERT ON previews REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('cid=cid');--> statement-breakpoint
CREATE TRIGGER previews_cache_update AFTER UPDATE ON previews REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('cid=cid');--> statement-breakpoint
CREATE TRIGGER previews_cache_delete AFTER DELETE ON previews REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('cid=cid');--> statement-breakpoint
CREATE TRIGGER previews_cache_truncate AFTER TRUNCATE ON previews FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify();--> statement-breakpoint
CREATE TRIGGER contribution_reads_cache_insert AFTER INSERT ON contribution_reads REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=contribution_id');--> statement-breakpoint
CREATE TRIGGER contribution_reads_cache_update AFTER UPDATE ON contribution_reads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=contribution_id');--> statement-breakpoint
CREATE TRIGGER contribution_reads_cache_delete AFTER DELETE ON contribution_reads REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify('c=contribution_id');--> statement-breakpoint
CREATE TRIGGER contribution_reads_cache_truncate AFTER TRUNCATE ON contribution_reads FOR EACH STATEMENT EXECUTE FUNCTION nwu_cache_notify();
