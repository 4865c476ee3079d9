import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { ConnectClient } from '../../services/shared/connect/connect-client';
import { validateConnector } from '../../services/shared/connect/connector-deployment';
import { connectorNames, loadConnector } from '../../services/shared/connect/connector-file';

const config = infrastructureConfig();
const connectUrl = config.CONNECT_URL;
const client = ConnectClient.of(config);
const postgresConnector = 'io.debezium.connector.postgresql.PostgresConnector';

/** Debezium's validation errors for `topic.prefix`, which quote the value it was given. */
async function topicPrefixErrors(config: Record<string, string>): Promise<string[]> {
  const result = await client.validate(postgresConnector, {
    'connector.class': postgresConnector,
    name: 'config-provider-probe',
    ...config,
  });
  return result.configs.find((c) => c.value?.name === 'topic.prefix')?.value?.errors ?? [];
}

/**
 * Anyone who can reach the Connect REST API can send a connector config. The worker resolves
 * ${provider:…} placeholders in it before validating, and validation errors quote values: so
 * every placeholder that resolves is readable. Only the variables the connectors need may.
 */
describe('Kafka Connect config providers (native stack)', () => {
  it('resolves an allowlisted ${env:…} variable', async () => {
    // "deedstream" is a valid topic prefix: no error means the placeholder was replaced.
    expect(await topicPrefixErrors({ 'topic.prefix': '${env:DEEDSTREAM_PG_DATABASE}' })).toEqual([]);
  });

  it('leaves a variable outside the allowlist unresolved', async () => {
    const errors = await topicPrefixErrors({ 'topic.prefix': '${env:PATH}' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('${env:PATH}');
    // The worker was started with this machine's PATH; none of it may show.
    expect(errors[0]).not.toContain('/usr/bin');
  });

  it('has no file provider: a ${file:…} placeholder reads nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connect-file-provider-'));
    const file = path.join(dir, 'secret.properties');
    // A valid topic prefix: if a file provider read it, validation would pass.
    fs.writeFileSync(file, 'secret=leaked_value\n');
    try {
      const errors = await topicPrefixErrors({ 'topic.prefix': `\${file:${file}:secret}` });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`\${file:${file}:secret}`);
      expect(errors[0]).not.toContain('leaked_value');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a connector config that declares a config provider of its own', async () => {
    const response = await fetch(
      `${connectUrl}/connector-plugins/${encodeURIComponent(postgresConnector)}/config/validate`,
      {
        method: 'PUT',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from(`${config.CONNECT_USERNAME}:${config.CONNECT_PASSWORD}`).toString('base64')}`,
        },
        body: JSON.stringify({
          'connector.class': postgresConnector,
          name: 'config-provider-probe',
          'config.providers': 'mine',
          'config.providers.mine.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
          'topic.prefix': '${mine:PATH}',
        }),
      },
    );
    expect(response.ok).toBe(false);
    const body = (await response.json()) as { message?: string };
    expect(body.message).toContain('EnvVarConfigProvider is not allowed');
  });

  it("refuses a connector config that overrides its clients' settings (the producer's are the worker's)", async () => {
    const result = await client.validate(postgresConnector, {
      'connector.class': postgresConnector,
      name: 'override-probe',
      'topic.prefix': 'probe',
      'producer.override.bootstrap.servers': '203.0.113.1:9092',
      'producer.override.acks': '0',
    });
    const errors = Object.fromEntries(
      result.configs.flatMap((c) =>
        c.value?.name.startsWith('producer.override.') ? [[c.value.name, c.value.errors]] : [],
      ),
    );
    expect(errors).toEqual({
      'producer.override.bootstrap.servers': [
        "The 'None' policy does not allow 'bootstrap.servers' to be overridden in the connector configuration.",
      ],
      'producer.override.acks': [
        "The 'None' policy does not allow 'acks' to be overridden in the connector configuration.",
      ],
    });
  });

  it('still validates every real connector, whose credentials come through ${env:…}', async () => {
    const names = connectorNames();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect({ name, errors: await validateConnector(client, loadConnector(name)) }).toEqual({
        name,
        errors: [],
      });
    }
  });
});
