import { tallyFeedReport, withEverySource, type FeedSourceReport } from './feed-report';

const at = (iso: string) => new Date(iso);

describe('the listing feeds report', () => {
  it('counts each source by outcome, its rejections by reason, and its newest record', () => {
    const report = tallyFeedReport(
      [
        {
          source: 'sample_mls',
          outcome: 'imported',
          records: 1140,
          lastRecordAt: at('2026-11-02T08:00:00Z'),
        },
        { source: 'sample_mls', outcome: 'rejected', records: 60, lastRecordAt: at('2026-11-02T08:05:00Z') },
        { source: 'sample_mls', outcome: 'updated', records: 140, lastRecordAt: at('2026-11-02T08:03:00Z') },
        { source: 'another', outcome: 'unchanged', records: 2, lastRecordAt: at('2026-11-01T10:00:00Z') },
      ],
      [
        { source: 'sample_mls', reason: 'ListPrice: a number', records: 10 },
        { source: 'sample_mls', reason: 'Latitude: from -90 to 90', records: 50 },
      ],
    );
    expect(report).toEqual([
      {
        source: 'another',
        imported: 0,
        updated: 0,
        unchanged: 2,
        rejected: 0,
        reasons: [],
        lastRecordAt: '2026-11-01T10:00:00.000Z',
      },
      {
        source: 'sample_mls',
        imported: 1140,
        updated: 140,
        unchanged: 0,
        rejected: 60,
        reasons: [
          { reason: 'Latitude: from -90 to 90', records: 50 },
          { reason: 'ListPrice: a number', records: 10 },
        ],
        lastRecordAt: '2026-11-02T08:05:00.000Z',
      },
    ]);
  });

  it('labels a rejection recorded without a reason rather than dropping it', () => {
    const [report] = tallyFeedReport(
      [{ source: 's', outcome: 'rejected', records: 1, lastRecordAt: at('2026-11-02T08:00:00Z') }],
      [{ source: 's', reason: null, records: 1 }],
    );
    expect(report?.reasons).toEqual([{ reason: '(none)', records: 1 }]);
  });

  it('is empty without records', () => {
    expect(tallyFeedReport([], [])).toEqual([]);
  });

  it('shows every configured source, with zeros before its first record, in name order', () => {
    const recorded: FeedSourceReport = {
      source: 'b_mls',
      imported: 3,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      reasons: [],
      lastRecordAt: '2026-11-02T08:00:00.000Z',
    };
    expect(withEverySource([recorded], ['c_mls', 'b_mls', 'a_mls', 'c_mls'])).toEqual([
      {
        source: 'a_mls',
        imported: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        reasons: [],
        lastRecordAt: null,
      },
      recorded,
      {
        source: 'c_mls',
        imported: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        reasons: [],
        lastRecordAt: null,
      },
    ]);
  });
});
