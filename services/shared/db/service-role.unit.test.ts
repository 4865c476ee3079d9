import { ConfigError } from '../config/load-config';
import { serviceConnectionString, serviceRoleOf } from './service-role';

const owner = 'postgres://deedstream:deedstream@db.example:5433/deedstream?sslmode=require';

describe('serviceConnectionString', () => {
  it("signs a service in as its own role on DATABASE_URL's server and database", () => {
    expect(serviceRoleOf('property')).toBe('deedstream_property');
    const url = new URL(
      serviceConnectionString('property', {
        DATABASE_URL: owner,
        DATABASE_SERVICE_PASSWORD: 's3cret:@/%',
        DEEDSTREAM_DEPLOYMENT: 'production',
      }),
    );
    expect(url.username).toBe('deedstream_property');
    expect(decodeURIComponent(url.password)).toBe('s3cret:@/%');
    expect(`${url.host}${url.pathname}${url.search}`).toBe('db.example:5433/deedstream?sslmode=require');
  });

  it("uses the local stack's password in development, and refuses it in production", () => {
    expect(
      new URL(
        serviceConnectionString('search', { DATABASE_URL: owner, DEEDSTREAM_DEPLOYMENT: 'development' }),
      ).password,
    ).toBe('deedstream_search');
    expect(() =>
      serviceConnectionString('search', { DATABASE_URL: owner, DEEDSTREAM_DEPLOYMENT: 'production' }),
    ).toThrow(ConfigError);
  });
});
