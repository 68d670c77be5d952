import { EnvelopeSchema } from '@lucy/contracts';
import { envelopeShortcut, shortcutAvailable } from './envelope-check.js';

const valid = {
  messageId: '3f0c1a52-8a7b-4c1e-9d2f-6b1e2a3c4d5e',
  correlationId: 'lote-2027-ingresantes',
  causationId: null,
  occurredAt: '2027-03-01T10:00:00.000Z',
  type: 'alumno.creado',
  version: 1,
  payload: { alumnoId: 'x', n: 1 },
};

const long = (n: number) => 'a'.repeat(n);

/** Envelopes around every edge of every rule, valid and not. */
const cases: [string, unknown][] = [
  ['the usual one', valid],
  ['a cause', { ...valid, causationId: '9b2f6a1e-0c3d-4e5f-8a7b-1c2d3e4f5a6b' }],
  ['an extra key (stripped)', { ...valid, extra: 'x' }],
  ['no payload', (({ payload: _p, ...rest }) => rest)(valid)],
  ['payload undefined', { ...valid, payload: undefined }],
  ['payload null', { ...valid, payload: null }],
  ['an offset time', { ...valid, occurredAt: '2027-03-01T10:00:00+01:00' }],
  ['no fraction', { ...valid, occurredAt: '2027-03-01T10:00:00Z' }],
  ['29 February of a leap year', { ...valid, occurredAt: '2028-02-29T10:00:00Z' }],
  ['29 February of another year', { ...valid, occurredAt: '2027-02-29T10:00:00Z' }],
  ['a date only', { ...valid, occurredAt: '2027-03-01' }],
  ['no zone', { ...valid, occurredAt: '2027-03-01T10:00:00' }],
  ['hour 24', { ...valid, occurredAt: '2027-03-01T24:00:00Z' }],
  ['upper-case uuid', { ...valid, messageId: valid.messageId.toUpperCase() }],
  ['nil uuid', { ...valid, messageId: '00000000-0000-0000-0000-000000000000' }],
  ['max uuid', { ...valid, messageId: 'ffffffff-ffff-ffff-ffff-ffffffffffff' }],
  ['uuid with variant 0', { ...valid, messageId: '3f0c1a52-8a7b-4c1e-0d2f-6b1e2a3c4d5e' }],
  ['uuid version 9', { ...valid, messageId: '3f0c1a52-8a7b-9c1e-9d2f-6b1e2a3c4d5e' }],
  ['not a uuid', { ...valid, messageId: 'm-1' }],
  ['uuid with a newline after it', { ...valid, messageId: `${valid.messageId}\n` }],
  ['empty correlation', { ...valid, correlationId: '' }],
  ['correlation of 200', { ...valid, correlationId: long(200) }],
  ['correlation of 201', { ...valid, correlationId: long(201) }],
  ['numeric correlation', { ...valid, correlationId: 7 }],
  ['cause missing', (({ causationId: _c, ...rest }) => rest)(valid)],
  ['empty cause', { ...valid, causationId: '' }],
  ['cause of 201', { ...valid, causationId: long(201) }],
  ['empty type', { ...valid, type: '' }],
  ['type of 200', { ...valid, type: long(200) }],
  ['type of 201', { ...valid, type: long(201) }],
  ['version 0', { ...valid, version: 0 }],
  ['version -1', { ...valid, version: -1 }],
  ['version 1.5', { ...valid, version: 1.5 }],
  ['version as text', { ...valid, version: '1' }],
  ['version 2^53', { ...valid, version: 2 ** 53 }],
  ['version Infinity', { ...valid, version: Infinity }],
  ['version NaN', { ...valid, version: NaN }],
  ['an array', [valid]],
  ['null', null],
  ['a string', 'envelope'],
];

describe('envelopeShortcut', () => {
  it("is in use with this zod (it found zod's patterns on the schema)", () => {
    expect(shortcutAvailable).toBe(true);
    expect(envelopeShortcut(valid)).toBeDefined();
  });

  it.each(cases)('never accepts what EnvelopeSchema refuses, and returns what it returns: %s', (_name, raw) => {
    const fast = envelopeShortcut(raw);
    const zod = EnvelopeSchema.safeParse(raw);
    if (fast !== undefined) {
      expect(zod.success).toBe(true);
      expect(fast).toEqual(zod.data);
      expect(Object.keys(fast)).not.toContain('extra');
    }
  });

  it('answers for itself for the ordinary valid envelopes (zod is left the rest)', () => {
    for (const name of [
      'the usual one',
      'a cause',
      'an extra key (stripped)',
      'an offset time',
      'no fraction',
      'correlation of 200',
      'type of 200',
    ]) {
      expect(envelopeShortcut(cases.find(([n]) => n === name)![1])).toBeDefined();
    }
  });
});
