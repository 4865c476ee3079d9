import { errorMessageOf } from './log-lines';

describe('errorMessageOf', () => {
  it('takes the message and the error of pino lines at error level or above', () => {
    const fatal = JSON.stringify({ level: 60, msg: 'uncaught exception', err: { message: 'boom' } });
    expect(errorMessageOf(fatal)).toBe('uncaught exception: boom');
    expect(errorMessageOf(JSON.stringify({ level: 50, msg: 'could not start' }))).toBe('could not start');
  });

  it('ignores lower levels and lines that are not JSON', () => {
    expect(errorMessageOf(JSON.stringify({ level: 40, msg: 'retrying' }))).toBeUndefined();
    expect(errorMessageOf('plain text')).toBeUndefined();
    expect(errorMessageOf('{not json')).toBeUndefined();
  });
});
