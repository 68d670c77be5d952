import { roleReaches } from './roles.js';
import { hashToken, nuevoToken, tokenDe } from './token.js';

describe('API tokens', () => {
  it('are 256 random bits, different every time, and hashed as their SHA-256', () => {
    const a = nuevoToken();
    expect(a).toMatch(/^lucy_[A-Za-z0-9_-]{43}$/);
    expect(nuevoToken()).not.toBe(a);
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('are read from a Bearer header only', () => {
    expect(tokenDe('Bearer lucy_x')).toBe('lucy_x');
    expect(tokenDe('bearer   lucy_x ')).toBe('lucy_x');
    expect(tokenDe('Basic YWRtaW4=')).toBeUndefined();
    expect(tokenDe('Bearer a b')).toBeUndefined();
    expect(tokenDe(['Bearer x'])).toBeUndefined();
    expect(tokenDe(undefined)).toBeUndefined();
  });

  it('grant what a lesser role may do to a greater one, never the other way', () => {
    expect(roleReaches('admin', 'operator')).toBe(true);
    expect(roleReaches('operator', 'viewer')).toBe(true);
    expect(roleReaches('operator', 'admin')).toBe(false);
    expect(roleReaches('viewer', 'operator')).toBe(false);
  });
});
