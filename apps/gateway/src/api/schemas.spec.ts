import { isRealDate } from './schemas.js';

describe('dates in queries', () => {
  it('takes dates and date-times that exist', () => {
    for (const s of [
      '2027-02-01',
      '2028-02-29',
      '2027-02-01T10:00:00Z',
      '2027-02-01T10:00',
      '2027-02-01 23:59:59.999+03:00',
      '2027-02-01T00:00:00-0300',
    ])
      expect([s, isRealDate(s)]).toEqual([s, true]);
  });

  it('refuses dates that do not exist, which Date.parse would move to another day', () => {
    for (const s of [
      '2026-02-30',
      '2027-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '0000-01-01',
      '2026-02-28T24:00:00Z',
      '2026-02-28T23:60:00Z',
      '2026-02-28T10:00:00+99:00',
      '99999-01-01',
      '+275760-09-13',
      'ayer',
      '',
    ]) {
      expect([s, isRealDate(s)]).toEqual([s, false]);
    }
  });
});
