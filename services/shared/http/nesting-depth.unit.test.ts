import { MAX_BODY_DEPTH, nestingDepth, rejectDeepNesting } from './nesting-depth';
import { HttpProblem } from './problem';
import type { Request, Response } from 'express';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i += 1) value = i % 2 === 0 ? [value] : { inner: value };
  return value;
}

describe('nestingDepth', () => {
  it('counts arrays and objects, not scalars', () => {
    expect(nestingDepth('text', 10)).toBe(0);
    expect(nestingDepth(null, 10)).toBe(0);
    expect(nestingDepth({}, 10)).toBe(1);
    expect(nestingDepth({ address: { street: 'x' }, tags: [1, [2]] }, 10)).toBe(3);
    expect(nestingDepth(nested(7), 10)).toBe(7);
  });

  it('stops just past the limit, however deep the value goes', () => {
    expect(nestingDepth(nested(100_000), MAX_BODY_DEPTH)).toBe(MAX_BODY_DEPTH + 1);
  });

  it('finds a deep branch beside shallow ones', () => {
    const wide = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, { v: i }]));
    expect(nestingDepth({ ...wide, deep: nested(40) }, MAX_BODY_DEPTH)).toBe(MAX_BODY_DEPTH + 1);
  });
});

describe('rejectDeepNesting', () => {
  const run = (body: unknown): unknown => {
    let passed: unknown = 'not called';
    rejectDeepNesting({ body } as Request, {} as Response, (error?: unknown) => {
      passed = error;
    });
    return passed;
  };

  it('passes bodies within the limit and requests without one', () => {
    expect(run(nested(MAX_BODY_DEPTH))).toBeUndefined();
    expect(run(undefined)).toBeUndefined();
  });

  it('refuses a deeper body with a 400 that names the limit', () => {
    const error = run(nested(2_000));
    expect(error).toBeInstanceOf(HttpProblem);
    expect(error).toMatchObject({ status: 400, detail: expect.stringContaining(`${MAX_BODY_DEPTH} levels`) });
  });
});
