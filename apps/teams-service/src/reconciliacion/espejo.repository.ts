// The reconciliation's state in this service's schema: the users/delta link of the next round and the mirror
// of Entra's users. Read and written in the handler's short transactions; the link and the mirror change
// together (one commit), so a link never describes changes since a state the mirror does not hold.
import { Injectable } from '@nestjs/common';
import { InjectConfig } from '@lucy/platform';
import type { EntityManager } from 'typeorm';
import type { TeamsConfig } from '../config.js';
import type { CuentaRegistrada, UsuarioEntra } from './comparacion.js';

const COLUMNAS =
  'id, upn, account_enabled, licencias, display_name, given_name, surname, department, employee_id, mail';

@Injectable()
export class EspejoRepository {
  private readonly schema: string;

  constructor(@InjectConfig() config: Pick<TeamsConfig, 'DB_SCHEMA'>) {
    this.schema = config.DB_SCHEMA;
  }

  private t(name: string) {
    return `"${this.schema}".${name}`;
  }

  /** The link of the next round (null: none yet, the round reads every user) and the mirror it continues. */
  async leer(m: EntityManager): Promise<{ deltaLink: string | null; usuarios: UsuarioEntra[] }> {
    const [estado] = await m.query(`SELECT delta_link FROM ${this.t('entra_delta')} WHERE id = 1`);
    if (!estado) return { deltaLink: null, usuarios: [] };
    const rows: Record<string, unknown>[] = await m.query(`SELECT ${COLUMNAS} FROM ${this.t('entra_usuario')}`);
    return {
      deltaLink: estado.delta_link as string,
      usuarios: rows.map((r) => ({
        id: r.id as string,
        upn: r.upn as string,
        accountEnabled: r.account_enabled as boolean | null,
        licencias: r.licencias as string[],
        displayName: r.display_name as string | null,
        givenName: r.given_name as string | null,
        surname: r.surname as string | null,
        department: r.department as string | null,
        employeeId: r.employee_id as string | null,
        mail: r.mail as string | null,
      })),
    };
  }

  /** Every account Lucy made or adopted for a student, whatever its state. */
  async cuentas(m: EntityManager): Promise<CuentaRegistrada[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT alumno_id, upn, graph_user_id FROM ${this.t('cuenta')}`,
    );
    return rows.map((r) => ({
      alumnoId: r.alumno_id as string,
      upn: r.upn as string,
      graphUserId: r.graph_user_id as string | null,
    }));
  }

  /** The mirror after the round, and the round's link: together. */
  async guardar(m: EntityManager, deltaLink: string, usuarios: readonly UsuarioEntra[]): Promise<void> {
    await m.query(`DELETE FROM ${this.t('entra_usuario')}`);
    for (let i = 0; i < usuarios.length; i += 1000) {
      const parte = usuarios.slice(i, i + 1000);
      await m.query(
        `INSERT INTO ${this.t('entra_usuario')} (${COLUMNAS})
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, upn text, account_enabled boolean, licencias jsonb,
           display_name text, given_name text, surname text, department text, employee_id text, mail text)`,
        [
          JSON.stringify(
            parte.map((u) => ({
              id: u.id,
              upn: u.upn,
              account_enabled: u.accountEnabled,
              licencias: u.licencias,
              display_name: u.displayName,
              given_name: u.givenName,
              surname: u.surname,
              department: u.department,
              employee_id: u.employeeId,
              mail: u.mail,
            })),
          ),
        ],
      );
    }
    await m.query(
      `INSERT INTO ${this.t('entra_delta')} (id, delta_link) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET delta_link = EXCLUDED.delta_link, updated_at = now()`,
      [deltaLink],
    );
  }
}
