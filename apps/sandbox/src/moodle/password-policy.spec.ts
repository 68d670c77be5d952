import { checkPasswordPolicy } from './password-policy.js';
import { PasswordPolicySchema } from './moodle.store.js';

const policy = PasswordPolicySchema.parse({});

describe('checkPasswordPolicy (lib/moodlelib.php)', () => {
  it('accepts a password meeting the default site policy', () => {
    expect(checkPasswordPolicy('Ingreso-2027', policy)).toBe('');
  });

  it('lists every failed rule as <div> messages, in Moodle order', () => {
    expect(checkPasswordPolicy('abc', policy)).toBe(
      '<div>Passwords must be at least 8 characters long.</div><div>Passwords must have at least 1 digit(s).</div>' +
        '<div>Passwords must have at least 1 upper case letter(s).</div><div>Passwords must have at least 1 special character(s) such as as *, -, or #.</div>',
    );
  });

  it('counts accented letters as letters and honours maxconsecutiveidentchars', () => {
    expect(checkPasswordPolicy('Ñandú-2027', policy)).toBe('');
    expect(checkPasswordPolicy('Aaaa-2027', { ...policy, maxConsecutiveIdentChars: 2 })).toContain(
      'at most 2 consecutive identical',
    );
  });

  it('accepts anything when the policy is off', () => {
    expect(checkPasswordPolicy('', { ...policy, enabled: false })).toBe('');
  });
});
