import { prepareOnEveryConnection, statementNameFor } from './prepared-statements';

describe('which SQL runs as a prepared statement', () => {
  it('prepares a text from its second run on, always under the same name', () => {
    const sql = 'select "version" from "property"."events" where "stream_id" = $1';
    expect(statementNameFor(sql)).toBeUndefined();
    const name = statementNameFor(sql);
    expect(name).toMatch(/^ds_[0-9a-f]{20}$/);
    expect(statementNameFor(sql)).toBe(name);
  });

  it('prepares a CompiledOnce query from its first run', () => {
    const sql = 'insert into "t" ("a") values ($1)';
    prepareOnEveryConnection(sql);
    expect(statementNameFor(sql)).toMatch(/^ds_/);
  });

  it.each([
    ['a select of every column', 'select * from "t" where "id" = $1'],
    ['a table.* select', 'select "t".*, "u"."x" from "t" join "u" on true'],
    ['a returning *', 'insert into "t" ("a") values ($1) returning *'],
    ['a transaction statement', 'begin'],
  ])('never prepares %s (a migration could change its result type; utility statements)', (_what, sql) => {
    statementNameFor(sql);
    expect(statementNameFor(sql)).toBeUndefined();
    prepareOnEveryConnection(sql);
    expect(statementNameFor(sql)).toBeUndefined();
  });

  it('still prepares counting queries', () => {
    const sql = 'select count(*) as "n" from "t"';
    statementNameFor(sql);
    expect(statementNameFor(sql)).toMatch(/^ds_/);
  });
});
