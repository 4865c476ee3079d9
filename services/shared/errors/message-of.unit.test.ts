import { messageOf } from './message-of';

describe('messageOf', () => {
  it('takes the message of an Error, of a subclass and of an error-like object', () => {
    expect(messageOf(new Error('disk full'))).toBe('disk full');
    expect(messageOf(new TypeError('not a function'))).toBe('not a function');
    expect(messageOf({ message: 'from a plain object', code: 'E1' })).toBe('from a plain object');
  });

  it('turns anything else into text rather than "undefined"', () => {
    expect(messageOf('thrown as a string')).toBe('thrown as a string');
    expect(messageOf({ code: 42 })).toBe('{"code":42}');
    expect(messageOf(undefined)).toBe('undefined');
    expect(messageOf(7)).toBe('7');
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(messageOf(cyclic)).toBe('[object Object]');
  });
});
