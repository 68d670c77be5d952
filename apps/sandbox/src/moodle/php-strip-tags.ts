// PHP's strip_tags($str) with no allowed tags (ext/standard/string.c, php_strip_tags_ex), which Moodle's
// clean_param(PARAM_NOTAGS) runs after fix_utf8 (lib/moodlelib.php; lib/classes/param.php since 4.4). A
// byte-level state machine, not a regex: '<' starts a tag unless whitespace follows it (so "a < b" stays,
// "a <b" loses everything from the '<', closed or not); inside a tag, quotes hide '>' and a nested '<'
// needs its own '>'; "<?" runs to "?>" (PHP code, parentheses counted), "<!" to '>', "<!--" to "-->".
// A '>' outside a tag and NUL bytes: '>' is kept, NUL dropped. Every character PHP tests is ASCII, so a
// UTF-16 string is walked as PHP walks the UTF-8 bytes.

const isSpace = (c: string | undefined) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

export function phpStripTags(s: string): string {
  let out = '';
  let state = 0; // 0 text, 1 tag, 2 PHP, 3 "<!", 4 comment
  let depth = 0;
  let inQ = '';
  let lc = '';
  let br = 0;
  let isXml = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const prev = s[i - 1];
    if (c === '\0') continue;
    switch (state) {
      case 0:
        if (c === '<') {
          if (isSpace(s[i + 1])) out += c;
          else {
            lc = '<';
            state = 1;
          }
        } else if (c === '>' && depth) depth--;
        else out += c;
        break;
      case 1:
        if (c === '<') {
          if (!inQ && !isSpace(s[i + 1])) depth++;
        } else if (c === '>') {
          if (depth) depth--;
          else if (!inQ && !(isXml && prev === '-')) {
            lc = '>';
            inQ = '';
            state = 0;
            isXml = false;
          }
        } else if (c === '"' || c === "'") {
          if (i !== 0 && (!inQ || c === inQ)) inQ = inQ ? '' : c;
        } else if (c === '!' && prev === '<') {
          state = 3;
          lc = c;
        } else if (c === '?' && prev === '<') {
          br = 0;
          state = 2;
        }
        break;
      case 2:
        if (c === '(' && lc !== '"' && lc !== "'") {
          lc = '(';
          br++;
        } else if (c === ')' && lc !== '"' && lc !== "'") {
          lc = ')';
          br--;
        } else if (c === '>') {
          if (depth) depth--;
          else if (!inQ && !br && lc !== '"' && prev === '?') {
            inQ = '';
            state = 0;
          }
        } else if (c === '"' || c === "'") {
          if (prev !== '\\') lc = lc === c ? '' : lc !== '\\' ? c : lc;
          if (i !== 0 && (!inQ || c === inQ)) inQ = inQ ? '' : c;
        } else if ((c === 'l' || c === 'L') && i >= 4 && /^<\?xm$/i.test(s.slice(i - 4, i))) {
          state = 1;
          isXml = true;
        }
        break;
      case 3:
        if (c === '>') {
          if (depth) depth--;
          else if (!inQ) {
            inQ = '';
            state = 0;
          }
        } else if (c === '"' || c === "'") {
          if (i !== 0 && prev !== '\\' && (!inQ || c === inQ)) inQ = inQ ? '' : c;
        } else if (c === '-' && i >= 2 && s.slice(i - 2, i) === '!-') {
          state = 4;
        } else if ((c === 'e' || c === 'E') && i > 6 && s.slice(i - 6, i).toLowerCase() === 'doctyp') {
          state = 1;
        }
        break;
      case 4:
        if (c === '>' && !inQ && i >= 2 && s.slice(i - 2, i) === '--') {
          inQ = '';
          state = 0;
        }
        break;
    }
  }
  return out;
}

/** fix_utf8 (lib/moodlelib.php) on a JS string: NUL bytes go, and so do lone surrogates (invalid UTF-8 once encoded). */
export function fixUtf8(s: string): string {
  return s.replace(/\0/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}
