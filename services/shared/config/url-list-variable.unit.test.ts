import { commaSeparated } from './variables';
import { infrastructureConfig } from '../service/infrastructure';

describe('ELASTICSEARCH_URL', () => {
  it('lists one node, or every node of a cluster in order', () => {
    expect(commaSeparated('http://127.0.0.1:9200')).toEqual(['http://127.0.0.1:9200']);
    expect(commaSeparated('http://es-1:9200, http://es-2:9200,')).toEqual([
      'http://es-1:9200',
      'http://es-2:9200',
    ]);
  });

  it('refuses a list with an entry that is not a URL, naming the variable', () => {
    expect(() => infrastructureConfig({ ELASTICSEARCH_URL: 'http://es-1:9200,es-2' })).toThrow(
      /ELASTICSEARCH_URL/,
    );
    expect(() => infrastructureConfig({ CONNECT_URL: 'http://c-1:8083,nope' })).toThrow(/CONNECT_URL/);
    expect(
      infrastructureConfig({ ELASTICSEARCH_URL: 'http://es-1:9200,http://es-2:9200' }).ELASTICSEARCH_URL,
    ).toBe('http://es-1:9200,http://es-2:9200');
  });
});
