/**
 * A ClickHouse database of its own for one integration spec: a unique name on the server the global
 * setup provides, a client on `default` (to create and drop it) and one on the database itself.
 *
 *   const db = testDatabase('it_trade');
 *   beforeAll(() => db.migrate());
 *   afterAll(() => db.drop());
 */
import { type ClickHouseClient, createClickHouse } from '../../sinks/clickhouse/client.js';
import { type MigrationReport, migrate } from '../../sinks/clickhouse/migrations.js';
import { clickHouseConnection, uniqueName } from './servers.js';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Connected to `default`: creates and drops databases. */
  readonly admin: ClickHouseClient;
  /** Connected to this database. */
  readonly client: ClickHouseClient;
  /** Runs sentiflow's migrations into this database (creating it). */
  migrate(): Promise<MigrationReport>;
  /** Drops the database and closes both clients. */
  drop(): Promise<void>;
}

export function testDatabase(prefix: string): TestDatabase {
  const { url, user, password } = clickHouseConnection();
  const name = uniqueName(prefix);
  const admin = createClickHouse({ url, user, password, database: 'default' });
  const client = createClickHouse({ url, user, password, database: name });
  return {
    name,
    url,
    user,
    password,
    admin,
    client,
    migrate: () => migrate(admin, client, { url, database: name }),
    async drop() {
      try {
        await admin.command({ query: `DROP DATABASE IF EXISTS ${name}` });
      } finally {
        await Promise.all([admin.close(), client.close()]);
      }
    },
  };
}
