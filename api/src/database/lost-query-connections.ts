import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * When node-postgres gives up waiting for an answer (query_timeout), the query stays on its
 * connection, and TypeORM returns that connection to the pool as if it were fine. Reused, every
 * later query on it would queue behind the lost one; and if the answer comes after all (a partition
 * that heals), the lost statement takes effect then — a transaction left open would swallow the next
 * user's writes. So a connection that comes back with a query still in flight is closed; pg-pool
 * drops a client that is ending instead of keeping it idle.
 */
export function closeConnectionsWithLostQueries(dataSource: DataSource): void {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  pool.on('release', (_error, client) => {
    if (hasQueryInFlight(client)) client.end().catch(() => undefined);
  });
}

/** pg 8 keeps the query on the wire in `_activeQuery` (the public `activeQuery` is deprecated); null when idle. */
function hasQueryInFlight(client: PoolClient): boolean {
  return (client as unknown as { _activeQuery?: unknown })._activeQuery != null;
}
