import { withoutPassword } from './redact';

describe('withoutPassword', () => {
  it('masks the password of a connection URL and keeps the rest', () => {
    expect(withoutPassword('postgres://deedstream:deedstream@127.0.0.1:5433/deedstream')).toBe(
      'postgres://deedstream:***@127.0.0.1:5433/deedstream',
    );
  });

  it('leaves URLs without a password and plain host:port endpoints alone', () => {
    expect(withoutPassword('http://127.0.0.1:8180/realms/deedstream')).toBe(
      'http://127.0.0.1:8180/realms/deedstream',
    );
    expect(withoutPassword('postgres://deedstream@127.0.0.1:5433/deedstream')).toBe(
      'postgres://deedstream@127.0.0.1:5433/deedstream',
    );
    expect(withoutPassword('127.0.0.1:9092')).toBe('127.0.0.1:9092');
  });
});
