import { infrastructureConfig } from '../../services/shared/config/infrastructure';

describe('Kafka Connect (native stack)', () => {
  it('has the Debezium PostgreSQL connector and the outbox router on its plugin path', async () => {
    const response = await fetch(
      `${infrastructureConfig().CONNECT_URL}/connector-plugins?connectorsOnly=false`,
    );
    expect(response.status).toBe(200);
    const classes = ((await response.json()) as Array<{ class: string }>).map((plugin) => plugin.class);
    expect(classes).toEqual(
      expect.arrayContaining([
        'io.debezium.connector.postgresql.PostgresConnector',
        'io.debezium.transforms.outbox.EventRouter',
        'io.debezium.converters.BinaryDataConverter',
      ]),
    );
  });
});
