/** SQL of claiming a crawl run: which run a worker takes next (`CrawlStore.claimNext`). */

/**
 * The run to claim next, locked: runs whose lease expired and manual runs first (oldest first), then the
 * oldest scheduled run of the tenant served least recently (round-robin across tenants), skipping runs
 * waiting for a retry. Time is the database's. `for update of c` rechecks the conditions on the locked
 * row, so a run another worker claimed meanwhile is skipped.
 */
const CLAIMABLE = `((c.status = 'requested' and (c.next_attempt_at is null or c.next_attempt_at <= now()))
  or (c.status = 'running' and c.lease_until < now()))`;
export const NEXT_CLAIM = `select c.crawl_id from crawler.crawl_runs c
    left join crawler.tenant_turns t using (tenant_id)
   where ${CLAIMABLE}
   order by (c.status = 'running' or c.trigger = 'manual') desc,
            case when c.status = 'running' or c.trigger = 'manual' then null else t.last_claimed_at end asc nulls first,
            c.requested_at
   limit 1 for update of c skip locked`;
