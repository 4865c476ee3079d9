import { consoleConfig, upstreamsOf } from './console-config';

describe('the services the console calls', () => {
  it('are on 127.0.0.1 at their ports by default, as npm start runs them', () => {
    const upstreams = upstreamsOf(consoleConfig({ SEARCH_PORT: '4102' }));
    expect(upstreams.property).toBe('http://127.0.0.1:3001');
    expect(upstreams.search).toBe('http://127.0.0.1:4102');
  });

  it('are each at a host of its own where {service} stands in the host (compose)', () => {
    const upstreams = upstreamsOf(consoleConfig({ CONSOLE_UPSTREAM_HOST: '{service}' }));
    expect(upstreams).toMatchObject({
      property: 'http://property:3001',
      people: 'http://people:3008',
      audit: 'http://audit:3010',
    });
    expect(upstreamsOf(consoleConfig({ CONSOLE_UPSTREAM_HOST: '{service}.deedstream.svc' })).title).toBe(
      'http://title.deedstream.svc:3007',
    );
  });

  it('refuse a host that is no host', () => {
    expect(() => consoleConfig({ CONSOLE_UPSTREAM_HOST: 'http://property/' })).toThrow(
      /CONSOLE_UPSTREAM_HOST/,
    );
  });
});
