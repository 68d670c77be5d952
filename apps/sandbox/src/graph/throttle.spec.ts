import { requestCost, tenantSizeFor, Throttler } from './throttle.js';

const cfg = {
  enabled: true,
  resourceUnits: { small: 10, medium: 20, large: 30 },
  resourceUnitWindowSeconds: 10,
  writeLimit: 2,
  writeWindowSeconds: 150,
};

describe('Entra ID throttling', () => {
  it('costs requests as the documented table says', () => {
    expect(requestCost('GET', '/users', new URLSearchParams())).toEqual({ ru: 2, writes: 0 });
    expect(requestCost('GET', '/users', new URLSearchParams('$select=id'))).toEqual({ ru: 1, writes: 0 });
    expect(requestCost('GET', '/subscribedSkus', new URLSearchParams('$top=5'))).toEqual({ ru: 2, writes: 0 });
    expect(requestCost('GET', '/users/{id}', new URLSearchParams('$select=id&$top=1'))).toEqual({ ru: 1, writes: 0 });
    expect(requestCost('POST', '/users', new URLSearchParams())).toEqual({ ru: 1, writes: 1 });
  });

  it('sizes the tenant by its users: S under 50, M 50–500, L above', () => {
    expect([tenantSizeFor(49), tenantSizeFor(50), tenantSizeFor(500), tenantSizeFor(501)]).toEqual([
      'small',
      'medium',
      'medium',
      'large',
    ]);
  });

  it('refuses over budget with the seconds until the bucket refills, then lets requests through again', () => {
    let now = 0;
    const t = new Throttler(() => now);
    for (let i = 0; i < 10; i++) expect(t.take('a', { ru: 1, writes: 0 }, cfg, 'small').ok).toBe(true);
    const no = t.take('a', { ru: 2, writes: 0 }, cfg, 'small');
    expect(no).toEqual({
      ok: false,
      retryAfterSeconds: 2,
      limit: 'ReadWrite',
      information: 'ResourceUnitLimitExceeded',
    });
    now += 2000;
    expect(t.take('a', { ru: 2, writes: 0 }, cfg, 'small').ok).toBe(true);
    expect(t.take('other-app', { ru: 1, writes: 0 }, cfg, 'small').ok).toBe(true);
  });

  it('keeps a separate write quota', () => {
    const now = 0;
    const t = new Throttler(() => now);
    expect(t.take('a', { ru: 1, writes: 1 }, cfg, 'small').ok).toBe(true);
    expect(t.take('a', { ru: 1, writes: 1 }, cfg, 'small').ok).toBe(true);
    expect(t.take('a', { ru: 1, writes: 1 }, cfg, 'small')).toMatchObject({
      ok: false,
      limit: 'Write',
      information: 'WriteLimitExceeded',
      retryAfterSeconds: 75,
    });
    expect(t.take('a', { ru: 1, writes: 0 }, cfg, 'small').ok).toBe(true);
  });
});
