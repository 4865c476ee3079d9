import { parsePostmasterPid } from './postmaster-pid';

describe('parsePostmasterPid', () => {
  it('reads the pid, data directory and port a running postmaster writes', () => {
    const content = [
      '48213',
      '/work/main/.stack/data/postgres/pgdata',
      '1796090435',
      '5433',
      '',
      '127.0.0.1',
      '   5433001    983047',
      'ready   ',
      '',
    ].join('\n');
    expect(parsePostmasterPid(content)).toEqual({
      pid: 48213,
      dataDir: '/work/main/.stack/data/postgres/pgdata',
      port: 5433,
    });
  });

  it('accepts a file written only up to the data directory (the server is still starting)', () => {
    expect(parsePostmasterPid('77\n/srv/pgdata\n')).toEqual({ pid: 77, dataDir: '/srv/pgdata' });
  });

  it.each([
    ['an empty file', ''],
    ['a pid that is not a number', 'abc\n/srv/pgdata\n'],
    ['pid 0', '0\n/srv/pgdata\n'],
    ['a negative pid', '-5\n/srv/pgdata\n'],
    ['a missing data directory', '77\n'],
    ['a relative data directory', '77\npgdata\n'],
  ])('refuses %s', (_case, content) => {
    expect(parsePostmasterPid(content)).toBeUndefined();
  });
});
