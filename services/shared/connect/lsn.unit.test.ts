import { formatLsn, parseLsn } from './lsn';

describe('LSN', () => {
  it('reads both hex halves and prints them back the way Postgres does', () => {
    expect(parseLsn('0/2B58700')).toBe(0x2b58700n);
    expect(parseLsn('1/0')).toBe(1n << 32n);
    expect(parseLsn('a/ff')).toBe((10n << 32n) | 0xffn);
    expect(formatLsn(0x2b58700n)).toBe('0/2B58700');
    expect(formatLsn((0x16n << 32n) | 0xb374d848n)).toBe('16/B374D848');
    expect(formatLsn(parseLsn('FFFFFFFF/FFFFFFFF'))).toBe('FFFFFFFF/FFFFFFFF');
  });

  it('refuses anything else', () => {
    expect(() => parseLsn('2B58700')).toThrow('not a Postgres LSN: "2B58700"');
    expect(() => parseLsn('0/XYZ')).toThrow('not a Postgres LSN');
  });
});
