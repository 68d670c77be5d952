import { encodePhpParams } from './php-params.js';

const decoded = (body: string) => body.split('&').map(decodeURIComponent);

describe('encodePhpParams', () => {
  it('writes lists of records in PHP array syntax with explicit indices', () => {
    const body = encodePhpParams({
      users: [
        { username: 'ana@f.edu.ar', auth: 'oauth2' },
        { username: 'bo@f.edu.ar', auth: 'manual' },
      ],
    });
    expect(decoded(body)).toEqual([
      'users[0][username]=ana@f.edu.ar',
      'users[0][auth]=oauth2',
      'users[1][username]=bo@f.edu.ar',
      'users[1][auth]=manual',
    ]);
  });

  it('writes a list of scalars and top-level scalars', () => {
    expect(
      decoded(encodePhpParams({ wsfunction: 'core_user_get_users_by_field', field: 'username', values: ['a', 'b'] })),
    ).toEqual(['wsfunction=core_user_get_users_by_field', 'field=username', 'values[0]=a', 'values[1]=b']);
  });

  it('percent-encodes names and values so reserved characters survive', () => {
    const body = encodePhpParams({ users: [{ password: 'a&b=c+d %e#' }] });
    expect(body).toBe('users%5B0%5D%5Bpassword%5D=a%26b%3Dc%2Bd%20%25e%23');
    expect(new URLSearchParams(body).get('users[0][password]')).toBe('a&b=c+d %e#');
  });

  it('sends booleans as 1/0, numbers as digits, and leaves out null and undefined', () => {
    expect(
      decoded(
        encodePhpParams({
          enrolments: [{ roleid: 5, userid: 12, courseid: 3, suspend: false, timeend: undefined, timestart: null }],
        }),
      ),
    ).toEqual([
      'enrolments[0][roleid]=5',
      'enrolments[0][userid]=12',
      'enrolments[0][courseid]=3',
      'enrolments[0][suspend]=0',
    ]);
  });

  it('nests records inside records', () => {
    expect(
      decoded(encodePhpParams({ users: [{ preferences: [{ type: 'auth_forcepasswordchange', value: true }] }] })),
    ).toEqual(['users[0][preferences][0][type]=auth_forcepasswordchange', 'users[0][preferences][0][value]=1']);
  });
});
