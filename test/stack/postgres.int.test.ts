import { Client } from 'pg';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';

describe('PostgreSQL (native stack)', () => {
  it('runs with logical WAL, as Debezium requires', async () => {
    const client = new Client({ connectionString: infrastructureConfig().DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ wal_level: string }>('SHOW wal_level');
      expect(rows[0]?.wal_level).toBe('logical');
      const port = await client.query<{ port: string }>('SHOW port');
      expect(port.rows[0]?.port).toBe('5433');
    } finally {
      await client.end();
    }
  });
});
