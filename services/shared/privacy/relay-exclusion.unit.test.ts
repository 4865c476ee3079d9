import { connectorNames, loadConnector } from '../connect/connector-file';
import { keystoreExposure } from './relay-exclusion';

const debezium = 'io.debezium.connector.postgresql.PostgresConnector';

describe('the key store is never relayed', () => {
  it('no connector in connectors/ can capture a key store table', () => {
    const names = connectorNames();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(keystoreExposure(loadConnector(name))).toEqual([]);
  });

  it('names the configs that would capture it', () => {
    const exposures = (config: Record<string, string>) =>
      keystoreExposure({ name: 'c', config: { 'connector.class': debezium, ...config } });
    expect(exposures({ 'table.include.list': 'property.outbox' })).toEqual([]);
    expect(exposures({})).toEqual([
      'c: no table.include.list nor schema.include.list, so it captures every table',
    ]);
    expect(exposures({ 'table.include.list': 'property.outbox, .*\\.data_keys' })).toEqual([
      'c: table.include.list entry .*\\.data_keys matches keystore.data_keys',
    ]);
    expect(exposures({ 'schema.include.list': 'property,KEYSTORE' })).toEqual([
      'c: schema.include.list entry KEYSTORE matches keystore',
    ]);
    expect(
      exposures({ 'table.include.list': 'property.outbox', 'publication.autocreate.mode': 'all_tables' }),
    ).toEqual(["c: publication.autocreate.mode=all_tables publishes the key store's tables too"]);
    expect(keystoreExposure({ name: 'sink', config: { 'connector.class': 'other.Sink' } })).toEqual([]);
  });
});
