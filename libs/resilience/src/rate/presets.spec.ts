import { ENTRA_WRITE_QUOTA, rateBurst, ratePreset } from './presets.js';
import { mostCallsInWindow } from './window-bound.js';

describe('rate presets', () => {
  it("keep graph's writes, burst and late tolerance included, within Entra's quota in any 150 s", () => {
    const { writeRpm } = ratePreset('graph');
    const most = mostCallsInWindow({ rpm: writeRpm!, burst: rateBurst('graph') }, ENTRA_WRITE_QUOTA.windowMs);
    expect(most).toBe(2759); // 2,750 slots at 1,100/min + a burst of 4 + 5 for the late tolerance
    expect(most).toBeLessThanOrEqual(ENTRA_WRITE_QUOTA.writes);
  });

  it('give no burst where the API refuses them, nor at the seed pace', () => {
    expect(rateBurst('moodle')).toBe(0);
    expect(rateBurst('smtp')).toBe(0);
    expect(rateBurst('graph', 'seed')).toBe(0);
  });
});
