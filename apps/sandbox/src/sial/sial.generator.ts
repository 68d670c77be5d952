// The SIAL cohort: a deterministic list of applicants, pre-registered and admitted students built from
// a seed, with the awkward records real exports have, so that ingest is tested against them every run:
//   - DNIs with dots ("45.123.456") and with stray spaces, besides plain digits;
//   - the same DNI twice in one list (a re-submitted form) and in two lists (an aspirante already
//     admitted whose old record was not removed);
//   - missing (null), empty and malformed emails, and emails with capitals and spaces around them;
//   - names with accents, ñ, apostrophes (D'Angelo), particles, upper case, doubled spaces, very long ones;
//   - records that change between two pulls: `revision` (the admin "advance" action) changes an email,
//     fixes a surname, moves an aspirante to ingresantes and adds a late pre-registration.
import { APELLIDOS, CARRERAS, EMAIL_DOMAINS, NOMBRES, SEDES } from './sial.names.js';
import { type Rng, intBetween, mulberry32, pick } from './prng.js';

export const SIAL_LISTS = ['aspirantes', 'preinscriptos', 'ingresantes'] as const;
export type SialList = (typeof SIAL_LISTS)[number];
export type Estado = 'aspirante' | 'preinscripto' | 'ingresante';
/** A record's estado: its list's, or, for a student leaving, baja or egresado (kept in their list). */
export type EstadoRegistro = Estado | 'baja' | 'egresado';
export const ESTADOS_REGISTRO = ['aspirante', 'preinscripto', 'ingresante', 'baja', 'egresado'] as const;

export interface SialRecord {
  id: number;
  dni: string;
  apellido: string;
  nombre: string;
  email_personal: string | null;
  email_institucional: string | null;
  carrera: string;
  legajo: string | null;
  fecha_nacimiento: string;
  periodo: string;
  anio_ingreso: number;
  sede: string;
  estado: EstadoRegistro;
}

export interface CohortConfig {
  size: number;
  seed: number;
  year: number;
  /** Bumped by "advance": some records differ from one revision to the next. */
  revision: number;
}

export type Cohort = Record<SialList, SialRecord[]>;

export const LIST_OF: Record<Estado, SialList> = {
  aspirante: 'aspirantes',
  preinscripto: 'preinscriptos',
  ingresante: 'ingresantes',
};

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ñ/gi, 'n')
    .replace(/['\s]+/g, '')
    .toLowerCase();

export const withDots = (dni: string) => dni.replace(/\B(?=(\d{3})+(?!\d))/g, '.');

interface Person {
  dni: string;
  apellido: string;
  nombre: string;
  email_personal: string | null;
  email_institucional: string | null;
  carrera: string;
  fecha_nacimiento: string;
  sede: string;
  estado: Estado;
  legajo: string | null;
}

function person(rng: Rng, i: number, year: number): Person {
  const nombre = pick(rng, NOMBRES);
  const apellido = rng() < 0.25 ? `${pick(rng, APELLIDOS)} ${pick(rng, APELLIDOS)}` : pick(rng, APELLIDOS);
  const mature = rng() < 0.15;
  const dniNum = mature ? intBetween(rng, 22_000_000, 41_999_999) : intBetween(rng, 45_000_000, 48_999_999);
  const born = mature ? intBetween(rng, 1975, 2003) : year - 18 - (rng() < 0.3 ? 1 : 0);
  const r = rng();
  const estado: Estado = r < 0.4 ? 'preinscripto' : r < 0.75 ? 'aspirante' : 'ingresante';
  return {
    dni: String(dniNum),
    apellido,
    nombre,
    email_personal: `${slug(nombre.split(' ')[0]!)}.${slug(apellido.split(' ')[0]!)}${intBetween(rng, 1, 99)}@${pick(rng, EMAIL_DOMAINS)}`,
    email_institucional:
      estado === 'ingresante' && rng() < 0.2
        ? `${slug(apellido.split(' ')[0]!)}.${slug(nombre.split(' ')[0]!)}@estudiantes.unrc.edu.ar`
        : null,
    carrera: pick(rng, CARRERAS),
    fecha_nacimiento: `${born}-${String(intBetween(rng, 1, 12)).padStart(2, '0')}-${String(intBetween(rng, 1, 28)).padStart(2, '0')}`,
    sede: pick(rng, SEDES),
    estado,
    legajo: estado === 'ingresante' ? String(100_000 + (year % 100) * 1000 + i) : null,
  };
}

/** Makes the first records of the cohort the awkward ones, so every cohort of 10+ has them all. */
function makeAwkward(people: Person[]): void {
  const at = (i: number, f: (p: Person) => void) => people[i] && f(people[i]!);
  at(0, (p) => (p.dni = withDots(p.dni)));
  at(1, (p) => {
    p.nombre = 'María de los Ángeles Guadalupe del Rosario';
    p.apellido = "Fernández de la Torre y Martínez Zuviría D'Alessandro";
  });
  at(2, (p) => {
    p.nombre = 'María José';
    p.apellido = "D'Angelo";
  });
  at(3, (p) => (p.email_personal = null));
  at(4, (p) => (p.email_personal = 'sofia.nunez@gmail'));
  at(5, (p) => (p.email_personal = ''));
  at(6, (p) => (p.email_personal = '  Martin.GOMEZ@Gmail.com '));
  at(7, (p) => {
    p.nombre = '  juan  pablo ';
    p.apellido = 'NÚÑEZ';
    p.dni = ` ${p.dni} `;
  });
  at(8, (p) => {
    p.nombre = 'Iñaki';
    p.apellido = 'Ñañez';
  });
  at(9, (p) => (p.email_personal = 'maria..lopez@@hotmail.com'));
  // Make sure every list has someone, whatever the seed drew.
  const estados: Estado[] = ['aspirante', 'preinscripto', 'ingresante'];
  estados.forEach((e, k) => {
    if (people.length >= 3 && !people.some((p) => p.estado === e)) {
      const p = people[people.length - 1 - k]!;
      p.estado = e;
      p.legajo = e === 'ingresante' ? '100999' : null;
    }
  });
}

/** What changes from one revision to the next (the "advance" admin action, or every N pulls). */
function applyRevision(people: Person[], revision: number, year: number): Person[] {
  if (revision === 0) return people;
  const out = people.map((p) => ({ ...p }));
  const aspirante = out.find((p, i) => i >= 10 && p.estado === 'aspirante');
  const ingresante = out.find((p, i) => i >= 10 && p.estado === 'ingresante');
  // A student updated their personal email (every revision gives a new one).
  if (ingresante) ingresante.email_personal = `${slug(ingresante.nombre.split(' ')[0]!)}.nuevo${revision}@gmail.com`;
  // A typo in a surname was fixed by the registry office.
  const typo = out[2];
  if (typo) typo.apellido = "D'Ángelo";
  // An applicant was admitted: now an ingresante with a legajo.
  if (aspirante) {
    aspirante.estado = 'ingresante';
    aspirante.legajo = String(200_000 + revision);
  }
  // Late pre-registrations, one per revision.
  for (let r = 1; r <= revision; r++) {
    const rng = mulberry32(r * 7919);
    const late = person(rng, 9000 + r, year);
    late.estado = 'preinscripto';
    late.legajo = null;
    out.push(late);
  }
  return out;
}

export function generateCohort(cfg: CohortConfig): Cohort {
  const rng = mulberry32(cfg.seed);
  const base = Array.from({ length: cfg.size }, (_, i) => person(rng, i, cfg.year));
  makeAwkward(base);
  const people = applyRevision(base, cfg.revision, cfg.year);
  const cohort: Cohort = { aspirantes: [], preinscriptos: [], ingresantes: [] };
  let id = 1;
  const push = (list: SialList, p: Person, estado: Estado = p.estado) =>
    cohort[list].push({
      id: id++,
      dni: p.dni,
      apellido: p.apellido,
      nombre: p.nombre,
      email_personal: p.email_personal,
      email_institucional: p.email_institucional,
      carrera: p.carrera,
      legajo: estado === 'ingresante' ? p.legajo : null,
      fecha_nacimiento: p.fecha_nacimiento,
      periodo: String(cfg.year),
      anio_ingreso: cfg.year,
      sede: p.sede,
      estado,
    });
  for (const p of people) push(LIST_OF[p.estado], p);
  // The same DNI twice in one list: a re-submitted form, with the DNI typed with dots and a new email.
  const again = people.find((p) => p.estado === 'aspirante' && /^\d+$/.test(p.dni));
  if (again)
    push('aspirantes', {
      ...again,
      dni: withDots(again.dni),
      email_personal: `${slug(again.nombre.split(' ')[0]!)}.${slug(again.apellido.split(' ')[0]!)}.bis@gmail.com`,
    });
  // The same DNI in two lists: an admitted student still listed as aspirante.
  const stale = people.find((p) => p.estado === 'ingresante');
  if (stale) push('aspirantes', stale, 'aspirante');
  return cohort;
}
