import { bulkInstant, generateRoster } from './oneroster.generator.js';

describe('OneRoster roster generator', () => {
  const NOW = Date.parse('2027-05-10T08:00:00Z');
  const roster = generateRoster({ size: 60, seed: 2027, year: 2027 }, NOW);

  it('is deterministic', () => {
    expect(generateRoster({ size: 60, seed: 2027, year: 2027 }, NOW)).toEqual(roster);
    expect(generateRoster({ size: 60, seed: 7, year: 2027 }, NOW)).not.toEqual(roster);
  });

  it('stamps everything with the last bulk load, never in the future', () => {
    expect(new Set(roster.users.map((u) => u.dateLastModified))).toEqual(new Set(['2026-12-15T10:00:00.000Z']));
    expect(bulkInstant(2027, Date.parse('2026-12-06T11:00:00Z'))).toBe('2026-12-05T10:00:00.000Z');
  });

  it('carries the SIAL cohort’s awkward people', () => {
    const students = roster.users.filter((u) => u.role === 'student');
    expect(students.some((u) => /\./.test(u.identifier))).toBe(true); // DNI typed with dots
    expect(students.some((u) => u.identifier !== u.identifier.trim())).toBe(true); // stray spaces
    expect(students.some((u) => u.email === undefined)).toBe(true); // no email at all
    expect(students.some((u) => u.email === '')).toBe(true);
    expect(students.some((u) => u.email === 'maria..lopez@@hotmail.com')).toBe(true);
    expect(students.some((u) => u.familyName === "D'Angelo")).toBe(true);
    expect(students.some((u) => u.givenName === 'Iñaki' && u.familyName === 'Ñañez')).toBe(true);
    // The same DNI twice, as two users with the same (normalized) identifier.
    const twice = students.filter((u) => u.sourcedId.endsWith('-b'));
    expect(twice).toHaveLength(1);
    expect(students.find((u) => u.sourcedId === twice[0]!.sourcedId.slice(0, -2))).toBeDefined();
  });

  it('keeps every reference inside the roster', () => {
    const has = (coll: { sourcedId: string }[], id: string) => coll.some((x) => x.sourcedId === id);
    for (const e of roster.enrollments) {
      expect(has(roster.users, e.user.sourcedId)).toBe(true);
      expect(has(roster.classes, e.class.sourcedId)).toBe(true);
      expect(has(roster.orgs, e.school.sourcedId)).toBe(true);
    }
    for (const c of roster.classes) expect(has(roster.courses, c.course.sourcedId)).toBe(true);
    for (const u of roster.users) for (const o of u.orgs) expect(has(roster.orgs, o.sourcedId)).toBe(true);
    expect(new Set(roster.enrollments.map((e) => e.sourcedId)).size).toBe(roster.enrollments.length);
    expect(new Set(roster.users.map((u) => u.sourcedId)).size).toBe(roster.users.length);
  });

  it('has teachers and students, every student in the intake classes', () => {
    const teachers = roster.users.filter((u) => u.role === 'teacher');
    expect(teachers.length).toBeGreaterThan(0);
    const intro = roster.classes.find((c) => c.classCode === 'ING-2027-INTRO-A')!;
    const inIntro = new Set(
      roster.enrollments.filter((e) => e.class.sourcedId === intro.sourcedId).map((e) => e.user.sourcedId),
    );
    for (const u of roster.users.filter((x) => x.role === 'student')) expect(inIntro.has(u.sourcedId)).toBe(true);
  });
});
