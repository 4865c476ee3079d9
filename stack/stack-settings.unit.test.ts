import { StackError } from './errors';
import { stackSetting } from './stack-settings';

describe('stackSetting', () => {
  it('takes the default when the variable is unset or empty', () => {
    expect(stackSetting('ELASTICSEARCH_HEAP', {})).toBe('512m');
    expect(stackSetting('ZIPKIN_MAX_SPANS', { ZIPKIN_MAX_SPANS: '' })).toBe(50_000);
    expect(stackSetting('PG_BIN', {})).toBeUndefined();
  });

  it('takes a valid value from the environment, converted', () => {
    expect(stackSetting('KAFKA_HEAP', { KAFKA_HEAP: '1g' })).toBe('1g');
    expect(stackSetting('ZIPKIN_MAX_SPANS', { ZIPKIN_MAX_SPANS: '20000' })).toBe(20_000);
  });

  it('refuses a bad value with one line naming the variable and what it expects', () => {
    const attempt = () => stackSetting('KAFKA_HEAP', { KAFKA_HEAP: 'lots' });
    expect(attempt).toThrow(StackError);
    expect(attempt).toThrow('KAFKA_HEAP=lots is not valid');
    expect(() => stackSetting('ZIPKIN_MAX_SPANS', { ZIPKIN_MAX_SPANS: '5' })).toThrow(/ZIPKIN_MAX_SPANS=5/);
    expect(() => stackSetting('DEEDSTREAM_EXTERNAL_STACK', { DEEDSTREAM_EXTERNAL_STACK: 'yes' })).toThrow(
      /DEEDSTREAM_EXTERNAL_STACK=yes/,
    );
  });
});
