import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { ConnectClient } from '../../services/shared/connect/connect-client';

const config = infrastructureConfig();
const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const plugins = (headers: Record<string, string>) =>
  fetch(`${config.CONNECT_URL}/connector-plugins?connectorsOnly=false`, { headers });

describe('Kafka Connect (native stack)', () => {
  it('has the Debezium PostgreSQL connector and the outbox router on its plugin path', async () => {
    const response = await plugins({
      Authorization: basic(config.CONNECT_USERNAME, config.CONNECT_PASSWORD),
    });
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

  it('answers nothing to a caller without the REST credentials', async () => {
    const refused: Array<Record<string, string>> = [
      {},
      { Authorization: basic(config.CONNECT_USERNAME, 'wrong') },
    ];
    for (const headers of refused) {
      const response = await plugins(headers);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('PostgresConnector');
    }
    const wrong = new ConnectClient(config.CONNECT_URL, { username: 'mallory', password: 'guess' });
    await expect(wrong.list()).rejects.toThrow(
      /refused the credentials of CONNECT_USERNAME and CONNECT_PASSWORD \(HTTP 401\)/,
    );
  });

  it('asks the next worker listed in CONNECT_URL when one cannot be reached', async () => {
    const credentials = { username: config.CONNECT_USERNAME, password: config.CONNECT_PASSWORD };
    const withDeadWorker = new ConnectClient(`http://127.0.0.1:1,${config.CONNECT_URL}`, credentials);
    expect(await withDeadWorker.list()).toEqual(await ConnectClient.of(config).list());
    const noneAlive = new ConnectClient('http://127.0.0.1:1,http://127.0.0.1:2', credentials);
    await expect(noneAlive.list()).rejects.toThrow(
      /cannot reach Kafka Connect at http:\/\/127\.0\.0\.1:1,http:\/\/127\.0\.0\.1:2 \(.+; .+\)/,
    );
  });
});
