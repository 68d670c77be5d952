import { perMinute } from './report.js';

describe('chaos report', () => {
  it('counts the students settled in each minute since the pull', () => {
    expect(
      perMinute([
        [10, 5],
        [59, 40],
        [61, 42],
        [130, 100],
        [150, 120],
      ]),
    ).toEqual([40, 2, 78]);
    expect(perMinute([])).toEqual([]);
  });
});
