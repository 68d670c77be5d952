import { passwordIsComplex, validateUserBody } from './user-rules.js';
import { GraphError } from './errors.js';

const domains = ['estudiantes.unrc.edu.ar'];
const base = {
  accountEnabled: true,
  displayName: 'A',
  mailNickname: 'a',
  userPrincipalName: 'a@estudiantes.unrc.edu.ar',
  passwordProfile: { password: 'Abcdef12', forceChangePasswordNextSignIn: true },
};
const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as GraphError).message;
  }
  return 'no error';
};

describe('user rules', () => {
  it('accepts a password of 8–256 characters with 3 of the 4 character classes', () => {
    expect(passwordIsComplex('Abcdef12')).toBe(true);
    expect(passwordIsComplex('abcdef1!')).toBe(true);
    expect(passwordIsComplex('Abcdef1')).toBe(false);
    expect(passwordIsComplex('abcdefgh1')).toBe(false);
    expect(passwordIsComplex(`Aa1${'x'.repeat(254)}`)).toBe(false);
  });

  it('names the first missing required property the way Entra does', () => {
    const { mailNickname: _m, ...rest } = base;
    expect(message(() => validateUserBody(rest, 'create', domains))).toBe(
      "A value is required for property 'mailNickname' of resource 'User'.",
    );
  });

  it('refuses an unverified UPN domain, a bad alias and a mailNickname with spaces', () => {
    expect(message(() => validateUserBody({ ...base, userPrincipalName: 'a@x.com' }, 'create', domains))).toMatch(
      /^The domain portion/,
    );
    expect(
      message(() =>
        validateUserBody({ ...base, userPrincipalName: 'a..b@estudiantes.unrc.edu.ar' }, 'create', domains),
      ),
    ).toMatch(/userPrincipalName/);
    expect(message(() => validateUserBody({ ...base, mailNickname: 'a b' }, 'create', domains))).toMatch(
      /mailNickname/,
    );
  });

  it('canonicalises property names and ignores @odata.type', () => {
    expect(
      validateUserBody({ '@odata.type': '#microsoft.graph.user', UsageLocation: 'AR' }, 'update', domains),
    ).toEqual({ usageLocation: 'AR' });
  });
});
