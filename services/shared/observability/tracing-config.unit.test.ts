import { ConfigError } from '../config/load-config';
import { tracingConfig } from './tracing-config';

describe('tracing configuration', () => {
  it('is on by default, exporting to the stack’s Zipkin up to 5 new traces a second', () => {
    expect(tracingConfig({})).toEqual({
      TRACING_ENABLED: true,
      ZIPKIN_URL: 'http://127.0.0.1:9411/api/v2/spans',
      TRACING_SAMPLE_RATIO: 1,
      TRACING_MAX_TRACES_PER_SECOND: 5,
    });
  });

  it('is switched off by TRACING_ENABLED=false', () => {
    expect(tracingConfig({ TRACING_ENABLED: 'false' }).TRACING_ENABLED).toBe(false);
  });

  it.each([
    [{ TRACING_ENABLED: 'no' }, 'TRACING_ENABLED="no": expected true or false'],
    [{ TRACING_SAMPLE_RATIO: '1.5' }, 'TRACING_SAMPLE_RATIO="1.5"'],
    [{ ZIPKIN_URL: 'zipkin:9411' }, 'ZIPKIN_URL="zipkin:9411"'],
  ])('refuses %j with one line naming the variable', (env, problem) => {
    expect(() => tracingConfig(env)).toThrow(ConfigError);
    expect(() => tracingConfig(env)).toThrow(problem);
  });
});
