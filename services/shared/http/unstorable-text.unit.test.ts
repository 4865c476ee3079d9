import { findUnstorableText, unstorableTextReason } from './unstorable-text';

describe('text Postgres cannot store', () => {
  it('accepts ordinary text, including characters outside the BMP', () => {
    expect(unstorableTextReason('Keizersgracht 123 — 🏠 Ümlaut')).toBeUndefined();
  });

  it('names U+0000 and lone surrogates', () => {
    expect(unstorableTextReason('a\u0000b')).toMatch(/U\+0000/);
    expect(unstorableTextReason('a\uD800b')).toMatch(/lone UTF-16 surrogate/);
    expect(unstorableTextReason('a\uDC00')).toMatch(/lone UTF-16 surrogate/);
  });

  it('names each bad field by its path, including array items and object keys', () => {
    const errors = findUnstorableText(
      { address: { street: 'x\u0000' }, tags: ['ok', '\uDBFF'], ['k\u0000']: 1 },
      '',
    );
    expect(errors.map((e) => e.field)).toEqual(['address.street', 'tags.1', '"k\\u0000"']);
    expect(findUnstorableText({ q: '\u0000' }, 'query')).toEqual([
      { field: 'query.q', message: 'contains U+0000 (NUL), which cannot be stored' },
    ]);
  });
});
