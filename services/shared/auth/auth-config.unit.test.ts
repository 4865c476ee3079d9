import { ConfigError } from '../config/load-config';
import { authConfig, authSchema, tokenClientConfig } from './auth-config';

describe('auth configuration', () => {
  it('defaults to the local realm, audience deedstream, any client and a 10-minute key cache', () => {
    expect(authConfig({})).toEqual({
      OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/deedstream',
      OIDC_AUDIENCE: 'deedstream',
      OIDC_ALLOWED_CLIENTS: [],
      OIDC_JWKS_CACHE_SECONDS: 600,
      OIDC_JWKS_COOLDOWN_SECONDS: 30,
      OIDC_CLOCK_TOLERANCE_SECONDS: 5,
    });
    expect(tokenClientConfig({})).toEqual({
      OIDC_ISSUER_URL: 'http://127.0.0.1:8180/realms/deedstream',
      OIDC_CLIENT_ID: 'deedstream-cli',
    });
  });

  it('reads another issuer (without a trailing slash, as tokens carry it) and a list of clients', () => {
    const config = authConfig({
      OIDC_ISSUER_URL: 'https://login.example.com/realms/prod/',
      OIDC_ALLOWED_CLIENTS: ' web , mobile,,',
      OIDC_JWKS_CACHE_SECONDS: '60',
    });
    expect(config.OIDC_ISSUER_URL).toBe('https://login.example.com/realms/prod');
    expect(config.OIDC_ALLOWED_CLIENTS).toEqual(['web', 'mobile']);
    expect(config.OIDC_JWKS_CACHE_SECONDS).toBe(60);
  });

  it.each([
    ['OIDC_ISSUER_URL', 'login.example.com'],
    ['OIDC_ISSUER_URL', 'ftp://login.example.com/realms/x'],
    ['OIDC_JWKS_CACHE_SECONDS', '0'],
    ['OIDC_JWKS_CACHE_SECONDS', 'ten'],
    ['OIDC_CLOCK_TOLERANCE_SECONDS', '-1'],
    ['OIDC_CLOCK_TOLERANCE_SECONDS', '3600'],
  ])('refuses %s=%s with one line naming it', (name, value) => {
    expect(() => authConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => authConfig({ [name]: value })).toThrow(new RegExp(`^invalid configuration: ${name}=`));
  });

  it('can be extended by a service config', () => {
    const serviceSchema = authSchema.extend({ PROPERTY_PORT: authSchema.shape.OIDC_JWKS_CACHE_SECONDS });
    expect(Object.keys(serviceSchema.shape)).toEqual(
      expect.arrayContaining(['OIDC_ISSUER_URL', 'PROPERTY_PORT']),
    );
  });
});
