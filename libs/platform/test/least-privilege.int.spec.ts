// deploy/postgres/bootstrap.sh, run as production runs it, on a database and with role names of this
// suite's own: each service's role owns its schema and migrates it the way DatabaseModule does, and can
// neither look into another service's schema nor make anything outside its own.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { dataSourceOptions, openServiceDataSource, schemaOf } from '@lucy/platform';

const run = promisify(execFile);
const BASE = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/lucy');
const SCRIPT = fileURLToPath(new URL('../../../deploy/postgres/bootstrap.sh', import.meta.url));
const id = randomUUID().slice(0, 8);
const database = `lucy_least_privilege_${id}`;
const prefix = `lp_${id}_`;
const SCHEMAS = ['gateway', 'ingest', 'teams', 'moodle', 'mail'];
const teamsPassword = randomBytes(18).toString('hex');
const secrets = mkdtempSync(join(tmpdir(), 'lucy-pg-secrets-'));
const gatewayPasswordFile = join(secrets, 'gateway');

/** Runs the bootstrap as a superuser (BASE's user) on this suite's database. */
function bootstrap(): Promise<unknown> {
  return run('sh', [SCRIPT], {
    env: {
      PATH: process.env.PATH,
      PGHOST: BASE.hostname,
      PGPORT: BASE.port || '5432',
      PGUSER: decodeURIComponent(BASE.username) || 'postgres',
      PGPASSWORD: decodeURIComponent(BASE.password),
      LUCY_DATABASE: database,
      LUCY_ROLE_PREFIX: prefix,
      POSTGRES_PASSWORD_TEAMS_SERVICE: teamsPassword,
      POSTGRES_PASSWORD_GATEWAY_FILE: gatewayPasswordFile,
    },
  });
}

function urlAs(role: string | null): string {
  const url = new URL(BASE);
  if (role) {
    url.username = role;
    url.password = role === `${prefix}teams` ? teamsPassword : '';
  }
  url.pathname = `/${database}`;
  return url.toString();
}

async function query(role: string | null, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: urlAs(role) });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE a statement fails with as `role`, or 'ok'. */
const outcome = (role: string, sql: string) =>
  query(role, sql).then(
    () => 'ok',
    (err: { code?: string }) => err.code,
  );
const INSUFFICIENT_PRIVILEGE = '42501';

class CreateCosa1700000000000 implements MigrationInterface {
  name = 'CreateCosa1700000000000';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE ${schemaOf(q)}.cosa (id serial PRIMARY KEY, nombre text NOT NULL)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE ${schemaOf(q)}.cosa`);
  }
}

/** A service's DataSource as its role, opened the way DatabaseModule opens it (migrations included). */
function openAs(schema: string): Promise<DataSource> {
  const opts = dataSourceOptions(
    { DATABASE_URL: urlAs(`${prefix}${schema}`), DB_SCHEMA: schema, DB_POOL_SIZE: 1, SERVICE_NAME: `lp-${schema}` },
    { migrations: [CreateCosa1700000000000] },
  );
  return openServiceDataSource(opts);
}

beforeAll(async () => {
  writeFileSync(gatewayPasswordFile, `${randomBytes(18).toString('hex')}\n`, { mode: 0o600 });
  await bootstrap();
}, 60_000);

afterAll(async () => {
  rmSync(secrets, { recursive: true, force: true });
  const admin = new URL(BASE);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    for (const s of SCHEMAS) await client.query(`DROP ROLE IF EXISTS "${prefix}${s}"`);
  } finally {
    await client.end();
  }
}, 60_000);

describe('PostgreSQL roles, one per service', () => {
  it('gives each service a plain login role owning its schema; running the bootstrap again changes nothing', async () => {
    const before = await query(null, `SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace ORDER BY 1`);
    await bootstrap();
    const after = await query(null, `SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace ORDER BY 1`);
    expect(after.rows).toEqual(before.rows);
    const owners = Object.fromEntries(after.rows.map((r) => [r.nspname, r.owner]));
    for (const s of SCHEMAS) expect(owners[s]).toBe(`${prefix}${s}`);
    const roles = await query(
      null,
      `SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolcanlogin, rolpassword FROM pg_authid
        WHERE rolname LIKE '${prefix}%' ORDER BY 1`,
    );
    expect(roles.rows.map((r) => r.rolname)).toEqual(SCHEMAS.map((s) => `${prefix}${s}`).sort());
    for (const r of roles.rows)
      expect(r).toMatchObject({ rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolcanlogin: true });
    // The passwords given (in a variable, in a file) are stored hashed; the others have none.
    const passwords = Object.fromEntries(roles.rows.map((r) => [r.rolname, r.rolpassword]));
    expect(passwords[`${prefix}teams`]).toMatch(/^SCRAM-SHA-256\$/);
    expect(passwords[`${prefix}gateway`]).toMatch(/^SCRAM-SHA-256\$/);
    expect(passwords[`${prefix}mail`]).toBeNull();
  });

  it('lets a role migrate its own schema as the service does at start, and use it', async () => {
    const ds = await openAs('teams');
    try {
      await ds.query(`INSERT INTO cosa (nombre) VALUES ('propia')`);
      expect(await ds.query(`SELECT nombre FROM teams.cosa`)).toEqual([{ nombre: 'propia' }]);
    } finally {
      await ds.destroy();
    }
    const owner = await query(
      null,
      `SELECT tableowner FROM pg_tables WHERE schemaname = 'teams' AND tablename = 'cosa'`,
    );
    expect(owner.rows).toEqual([{ tableowner: `${prefix}teams` }]);
  });

  it("refuses a role another service's schema, and anything outside its own", async () => {
    await (await openAs('teams')).destroy();
    const moodle = `${prefix}moodle`;
    expect(await outcome(moodle, 'SELECT * FROM teams.cosa')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcome(moodle, `INSERT INTO teams.cosa (nombre) VALUES ('ajena')`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcome(moodle, 'DROP TABLE teams.cosa')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcome(moodle, 'CREATE TABLE teams.espia (id int)')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcome(moodle, 'CREATE SCHEMA otra')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcome(moodle, 'CREATE TABLE public.suelta (id int)')).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await outcome(moodle, 'CREATE TEMPORARY TABLE temporal (id int)')).toBe(INSUFFICIENT_PRIVILEGE);
    // In its own schema the same statements are its to run.
    expect(await outcome(moodle, 'CREATE TABLE moodle.propia (id int)')).toBe('ok');
  });

  it('hands a service the tables a superuser made in its schema before, sequences included', async () => {
    await query(null, `CREATE TABLE mail.heredada (id serial PRIMARY KEY)`);
    expect(await outcome(`${prefix}mail`, 'INSERT INTO mail.heredada DEFAULT VALUES')).toBe(INSUFFICIENT_PRIVILEGE);
    await bootstrap();
    expect(await outcome(`${prefix}mail`, 'INSERT INTO mail.heredada DEFAULT VALUES')).toBe('ok');
  });
});
