import { parseFilter } from './odata.js';

const users = [
  { userPrincipalName: 'Ana@x.edu', displayName: 'Ana Pérez', accountEnabled: true, mail: null },
  { userPrincipalName: "o'neil@x.edu", displayName: 'Bob', accountEnabled: false, mail: 'b@x.edu' },
];
const ids = (f: string, eventual = false) => users.filter(parseFilter(f, { eventual })).map((u) => u.displayName);

describe('$filter', () => {
  it('compares strings case-insensitively and honours quote escaping', () => {
    expect(ids("userPrincipalName eq 'ANA@X.EDU'")).toEqual(['Ana Pérez']);
    expect(ids("userPrincipalName eq 'o''neil@x.edu'")).toEqual(['Bob']);
  });

  it('supports startswith, in, booleans, null, and/or with parentheses', () => {
    expect(ids("startswith(displayName,'ana')")).toEqual(['Ana Pérez']);
    expect(ids("userPrincipalName in ('ana@x.edu','o''neil@x.edu')")).toEqual(['Ana Pérez', 'Bob']);
    expect(ids('accountEnabled eq false')).toEqual(['Bob']);
    expect(ids('mail eq null')).toEqual(['Ana Pérez']);
    expect(ids("(accountEnabled eq true or mail eq 'b@x.edu') and startswith(displayName,'B')")).toEqual(['Bob']);
  });

  it('keeps ne / not / endswith for advanced queries (ConsistencyLevel: eventual)', () => {
    expect(() => ids("displayName ne 'Bob'")).toThrow(/ConsistencyLevel/);
    expect(ids("displayName ne 'Bob'", true)).toEqual(['Ana Pérez']);
  });

  it('refuses unknown properties and bad syntax', () => {
    expect(() => ids("faxNumber eq '1'")).toThrow(
      /Unsupported or invalid query filter clause specified for property 'faxNumber'/,
    );
    expect(() => ids("displayName eq 'x")).toThrow(/Invalid filter clause/);
    expect(() => ids("displayName eq 'x' and")).toThrow(/Invalid filter clause/);
  });
});
