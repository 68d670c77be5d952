import { phpJsonEncode, xmlResponse } from './php-output.js';
import { multiple, single, value } from './moodle.description.js';

describe('PHP output', () => {
  it('json_encode escapes slashes and non-ASCII like PHP without flags', () => {
    expect(phpJsonEncode({ n: 'Pérez', u: 'http://x/y', e: '😀' })).toBe(
      '{"n":"P\\u00e9rez","u":"http:\\/\\/x\\/y","e":"\\ud83d\\ude00"}',
    );
    expect(JSON.parse(phpJsonEncode({ n: 'Pérez' }))).toEqual({ n: 'Pérez' });
    expect(phpJsonEncode(null)).toBe('null');
  });

  it('xmlize_result prints RESPONSE/MULTIPLE/SINGLE/KEY/VALUE', () => {
    const d = multiple(single({ id: value('int'), username: value('raw') }));
    expect(xmlResponse([{ id: 3, username: 'a&b' }], d)).toBe(
      '<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n<MULTIPLE>\n<SINGLE>\n<KEY name="id"><VALUE>3</VALUE>\n</KEY>\n<KEY name="username"><VALUE>a&amp;b</VALUE>\n</KEY>\n</SINGLE>\n</MULTIPLE>\n</RESPONSE>\n',
    );
  });
});
