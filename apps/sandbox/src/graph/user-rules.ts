// What Entra ID accepts in a user's properties (pure; no store). Sources:
// - required on create: accountEnabled, displayName, mailNickname, passwordProfile, userPrincipalName
//   (learn.microsoft.com/graph/api/user-post-users, "Request body").
// - password policy: 8–256 characters and 3 of the 4 character classes
//   (learn.microsoft.com/entra/identity/authentication/concept-sspr-policy#microsoft-entra-password-policies).
// - mailNickname: no spaces, none of @ ( ) \ [ ] " ; : < > , (user resource, mailNickname).
// - userPrincipalName: alias@domain, alias of A-Z a-z 0-9 ' . - _ ! # ^ ~, no leading/trailing or double dot
//   (user resource, userPrincipalName).
import { GraphError, graphErrors } from './errors.js';

type Kind = 'string' | 'boolean' | 'stringArray' | 'passwordProfile' | 'licenses' | 'int';

/** The user's scalar properties this stand-in stores, with their types; `readOnly` ones are refused on write. */
export const USER_PROPERTIES: Record<string, { kind: Kind; readOnly?: boolean }> = {
  id: { kind: 'string', readOnly: true },
  accountEnabled: { kind: 'boolean' },
  ageGroup: { kind: 'string' },
  assignedLicenses: { kind: 'licenses', readOnly: true },
  businessPhones: { kind: 'stringArray' },
  city: { kind: 'string' },
  companyName: { kind: 'string' },
  consentProvidedForMinor: { kind: 'string' },
  country: { kind: 'string' },
  createdDateTime: { kind: 'string', readOnly: true },
  creationType: { kind: 'string', readOnly: true },
  deletedDateTime: { kind: 'string', readOnly: true },
  department: { kind: 'string' },
  displayName: { kind: 'string' },
  employeeId: { kind: 'string' },
  employeeType: { kind: 'string' },
  externalUserState: { kind: 'string', readOnly: true },
  givenName: { kind: 'string' },
  jobTitle: { kind: 'string' },
  mail: { kind: 'string' },
  mailNickname: { kind: 'string' },
  mobilePhone: { kind: 'string' },
  officeLocation: { kind: 'string' },
  otherMails: { kind: 'stringArray' },
  passwordPolicies: { kind: 'string' },
  passwordProfile: { kind: 'passwordProfile' },
  postalCode: { kind: 'string' },
  preferredLanguage: { kind: 'string' },
  proxyAddresses: { kind: 'stringArray', readOnly: true },
  state: { kind: 'string' },
  streetAddress: { kind: 'string' },
  surname: { kind: 'string' },
  usageLocation: { kind: 'string' },
  userPrincipalName: { kind: 'string' },
  userType: { kind: 'string' },
};

/** Graph v1.0's default projection of a user when no $select is given. */
export const DEFAULT_USER_SELECT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

export const CREATE_REQUIRED = [
  'accountEnabled',
  'displayName',
  'mailNickname',
  'passwordProfile',
  'userPrincipalName',
] as const;

/** Case-insensitive lookup of a property name, as OData does for Graph. */
export function canonicalProperty(name: string): string | undefined {
  if (name in USER_PROPERTIES) return name;
  const lower = name.toLowerCase();
  return Object.keys(USER_PROPERTIES).find((k) => k.toLowerCase() === lower);
}

export function passwordIsComplex(pw: string): boolean {
  if (pw.length < 8 || pw.length > 256) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  return classes >= 3;
}

const UPN = /^[A-Za-z0-9'._\-!#^~]+@([A-Za-z0-9-]+\.)+[A-Za-z0-9-]{2,}$/;
const NICKNAME_FORBIDDEN = /[\s@()\\[\]";:<>,]/;

export function upnDomain(upn: string): string {
  return upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Validates a create (POST) or update (PATCH) body and returns it with property names canonicalised.
 * `@odata.type` is accepted and ignored, as the live service does.
 */
export function validateUserBody(
  body: unknown,
  mode: 'create' | 'update',
  verifiedDomains: readonly string[],
): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw graphErrors.badJson();
  const out: Record<string, unknown> = {};
  for (const [rawName, value] of Object.entries(body as Record<string, unknown>)) {
    if (rawName.startsWith('@odata.')) continue;
    const name = canonicalProperty(rawName);
    if (!name) throw graphErrors.unknownProperty(rawName);
    const spec = USER_PROPERTIES[name];
    if (spec.readOnly) throw graphErrors.invalidValue(name);
    checkType(name, spec.kind, value);
    out[name] = value;
  }
  if (mode === 'create') {
    for (const p of CREATE_REQUIRED) if (out[p] === undefined || out[p] === null) throw graphErrors.required(p);
  }
  if (
    out.displayName !== undefined &&
    (typeof out.displayName !== 'string' || !out.displayName.trim() || out.displayName.length > 256)
  )
    throw graphErrors.invalidValue('displayName');
  if (
    out.mailNickname !== undefined &&
    (!out.mailNickname ||
      (out.mailNickname as string).length > 64 ||
      NICKNAME_FORBIDDEN.test(out.mailNickname as string))
  )
    throw graphErrors.invalidValue('mailNickname');
  if (out.userPrincipalName !== undefined) {
    const upn = out.userPrincipalName as string;
    const alias = upn.slice(0, upn.lastIndexOf('@'));
    if (
      !UPN.test(upn) ||
      upn.length > 113 ||
      alias.length > 64 ||
      alias.startsWith('.') ||
      alias.endsWith('.') ||
      alias.includes('..')
    )
      throw graphErrors.invalidValue('userPrincipalName');
    if (!verifiedDomains.some((d) => d.toLowerCase() === upnDomain(upn))) throw graphErrors.unverifiedDomain();
  }
  if (out.usageLocation !== undefined && out.usageLocation !== null && !/^[A-Z]{2}$/.test(out.usageLocation as string))
    throw graphErrors.invalidValue('usageLocation');
  if (out.passwordProfile !== undefined) {
    const pp = out.passwordProfile as { password?: unknown };
    if (mode === 'create' && (pp.password === undefined || pp.password === null))
      throw graphErrors.required('passwordProfile');
    if (pp.password !== undefined && pp.password !== null && !passwordIsComplex(pp.password as string))
      throw graphErrors.weakPassword();
  }
  return out;
}

function checkType(name: string, kind: Kind, value: unknown): void {
  const bad = (): GraphError => graphErrors.invalidValue(name);
  if (value === null) {
    if (name === 'accountEnabled' || name === 'displayName' || name === 'userPrincipalName' || name === 'mailNickname')
      throw bad();
    return;
  }
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw bad();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad();
      return;
    case 'int':
      if (!Number.isInteger(value)) throw bad();
      return;
    case 'stringArray':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw bad();
      return;
    case 'passwordProfile': {
      if (typeof value !== 'object' || Array.isArray(value)) throw bad();
      const allowed = new Set([
        'password',
        'forceChangePasswordNextSignIn',
        'forceChangePasswordNextSignInWithMfa',
        '@odata.type',
      ]);
      for (const [k, v] of Object.entries(value as object)) {
        if (!allowed.has(k)) throw graphErrors.invalidValue(name);
        if (k === 'password' && v !== null && typeof v !== 'string') throw bad();
        if (k.startsWith('force') && v !== null && typeof v !== 'boolean') throw bad();
      }
      return;
    }
    case 'licenses':
      throw bad();
  }
}
