import { planFaults, seeded, WINDOW } from './fault-plan.js';

const schedule = {
  kills: 2,
  brokerRestarts: 1,
  pgRestarts: 0,
  graph429Bursts: 3,
  graph429Size: 25,
  graph429RetryAfterS: 2,
  moodleDownMs: 30_000,
};

describe('chaos fault plan', () => {
  it('places every asked fault inside the window, in order of the share settled', () => {
    const plan = planFaults(schedule, seeded(7));
    expect(plan.filter((p) => p.fault.kind === 'kill')).toHaveLength(10); // 2 per service × 5
    expect(plan.filter((p) => p.fault.kind === 'broker-restart')).toHaveLength(1);
    expect(plan.filter((p) => p.fault.kind === 'pg-restart')).toHaveLength(0);
    expect(plan.filter((p) => p.fault.kind === 'graph-429-burst')).toHaveLength(3);
    expect(plan.filter((p) => p.fault.kind === 'moodle-down')).toHaveLength(1);
    for (const p of plan) expect(p.atFraction >= WINDOW.from && p.atFraction <= WINDOW.to).toBe(true);
    expect(plan.map((p) => p.atFraction)).toEqual([...plan.map((p) => p.atFraction)].sort((a, b) => a - b));
  });

  it('replays the same schedule for the same seed, another for another', () => {
    expect(planFaults(schedule, seeded(7))).toEqual(planFaults(schedule, seeded(7)));
    expect(planFaults(schedule, seeded(8))).not.toEqual(planFaults(schedule, seeded(7)));
  });
});
