// check_password_policy() (lib/moodlelib.php): every failed rule adds '<div>message</div>' to
// $errmsg, with the strings of lang/en/auth.php. user_create_user()/user_update_user() (user/lib.php)
// then throw new moodle_exception($errmsg): the errorcode IS that HTML, and since no language string
// has that name the message is "error/<div>...</div>" — a well-known oddity of Moodle's WS errors.
import type { z } from 'zod';
import type { PasswordPolicySchema } from './moodle.store.js';

export type PasswordPolicy = z.infer<typeof PasswordPolicySchema>;

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

function hasConsecutiveIdentical(password: string, max: number): boolean {
  let run = 1;
  const chars = [...password];
  for (let i = 1; i < chars.length; i++) {
    run = chars[i] === chars[i - 1] ? run + 1 : 1;
    if (run > max) return true;
  }
  return false;
}

/** Returns '' when the password passes, else the concatenated '<div>…</div>' messages. */
export function checkPasswordPolicy(password: string, p: PasswordPolicy): string {
  if (!p.enabled) return '';
  let errmsg = '';
  if ([...password].length < p.minLength)
    errmsg += `<div>Passwords must be at least ${p.minLength} characters long.</div>`;
  if (count(password, /\p{Nd}/gu) < p.minDigits)
    errmsg += `<div>Passwords must have at least ${p.minDigits} digit(s).</div>`;
  if (count(password, /\p{Ll}/gu) < p.minLower)
    errmsg += `<div>Passwords must have at least ${p.minLower} lower case letter(s).</div>`;
  if (count(password, /\p{Lu}/gu) < p.minUpper)
    errmsg += `<div>Passwords must have at least ${p.minUpper} upper case letter(s).</div>`;
  if (count(password, /[^\p{Lu}\p{Ll}\p{Nd}]/gu) < p.minNonAlphanum) {
    // "such as as" is Moodle's own typo in errorminpasswordnonalphanum.
    errmsg += `<div>Passwords must have at least ${p.minNonAlphanum} special character(s) such as as *, -, or #.</div>`;
  }
  if (p.maxConsecutiveIdentChars > 0 && hasConsecutiveIdentical(password, p.maxConsecutiveIdentChars)) {
    errmsg += `<div>Passwords must have at most ${p.maxConsecutiveIdentChars} consecutive identical characters.</div>`;
  }
  return errmsg;
}
