// The student's Moodle user: found if Moodle already has it, created otherwise, and recorded.
import { Injectable, Logger } from '@nestjs/common';
import type { AlumnoDatos } from '@lucy/contracts';
import { PermanentError } from '@lucy/messaging';
import { RuntimeConfig } from '@lucy/runtime-config';
import type { EntityManager } from 'typeorm';
import type { RuntimeKey } from '../runtime-keys.js';
import { generarPassword } from '../domain/password.js';
import { emailDesdeUpn, NombreInvalido, perfilMoodle, UsernameInvalido, usernameDesdeUpn } from '../domain/usuario.js';
import { ZONA_DEL_SERVIDOR } from '../domain/zona-horaria.js';
import { MoodleClient, type UsuarioMoodle } from '../moodle/moodle.client.js';
import { MoodleUsuarioRepository } from '../persistence/moodle-usuario.repository.js';

interface Usuario {
  id: number;
  username: string;
  auth: string;
}

export interface UsuarioResuelto {
  moodleUserId: number;
  username: string;
  /** Created by this call: it cannot have enrolments yet. */
  creadoAhora: boolean;
}

@Injectable()
export class UsuarioMoodleService {
  private readonly log = new Logger(UsuarioMoodleService.name);

  constructor(
    private readonly moodle: MoodleClient,
    private readonly runtime: RuntimeConfig<RuntimeKey>,
    private readonly registrados: MoodleUsuarioRepository,
  ) {}

  async encontrarOCrear(
    manager: EntityManager,
    alumnoId: string,
    upn: string,
    alumno: AlumnoDatos,
  ): Promise<UsuarioResuelto> {
    const perfil = perfilSeguro(upn, alumno);
    const guardado = await this.registrados.delAlumno(manager, alumnoId);
    const encontrado = await this.buscar(perfil.username, perfil.email);
    // Found (a redelivery, an operator's retry, or someone created it by hand): used as it is.
    const { usuario, creadoAhora } = encontrado
      ? { usuario: this.tomarTalCual(alumnoId, encontrado, perfil.username), creadoAhora: false }
      : await this.crear(alumnoId, perfil);
    const creadoPorLucy = creadoAhora || (guardado?.origen === 'creado' && guardado.moodleUserId === usuario.id);
    await this.registrados.guardar(manager, {
      alumnoId,
      username: usuario.username,
      moodleUserId: usuario.id,
      auth: usuario.auth,
      origen: creadoPorLucy ? 'creado' : 'existente',
      updatedAt: new Date(),
    });
    return { moodleUserId: usuario.id, username: usuario.username, creadoAhora };
  }

  /**
   * Creates the user — or finds it after all when Moodle refuses because it exists by now: another
   * message for the same student (an operator's EnrolarMoodle racing the CuentaTeamsCreada) created
   * it between our lookup and our create, and Moodle answers that with invalidparameter ("Username
   * already exists"), which must not end as a permanent failure.
   */
  private async crear(
    alumnoId: string,
    perfil: ReturnType<typeof perfilMoodle>,
  ): Promise<{ usuario: Usuario; creadoAhora: boolean }> {
    // Read now, not at start: an operator may have changed them since (moodleAuth, zonaHoraria).
    const auth = this.runtime.get('moodleAuth');
    const zona = this.runtime.get('zonaHoraria');
    // manual keeps the password in Moodle and needs one that meets the site's policy; oauth2 and
    // oidc are not "internal" auth plugins and are sent none.
    const password = auth === 'manual' ? generarPassword() : undefined;
    // The server's zone is what Moodle gives a user sent no timezone: then none is sent.
    const timezone = zona === ZONA_DEL_SERVIDOR ? undefined : zona;
    try {
      const creado = await this.moodle.crearUsuario({ ...perfil, auth, password, timezone });
      this.log.log({ alumnoId, moodleUserId: creado.id, auth, timezone: zona }, 'Moodle user created');
      return { usuario: { id: creado.id, username: creado.username, auth }, creadoAhora: true };
    } catch (err) {
      const ganador = err instanceof PermanentError ? await this.buscar(perfil.username, perfil.email) : undefined;
      if (!ganador) throw err;
      return { usuario: this.tomarTalCual(alumnoId, ganador, perfil.username), creadoAhora: false };
    }
  }

  private tomarTalCual(alumnoId: string, u: UsuarioMoodle, username: string): Usuario {
    if (u.suspended)
      this.log.warn({ alumnoId, moodleUserId: u.id }, 'the student’s Moodle user is suspended; enrolling anyway');
    return { id: u.id, username: u.username ?? username, auth: u.auth ?? '' };
  }

  /**
   * The student's Moodle user as Moodle has it now, never created: the one recorded for them while Moodle
   * still has it, else the one onboarding would find (by username, then email). Undefined: there is none.
   */
  async actual(manager: EntityManager, alumnoId: string, upn: string): Promise<UsuarioMoodle | undefined> {
    const guardado = await this.registrados.delAlumno(manager, alumnoId);
    if (guardado) {
      const [vivo] = await this.moodle.usuariosPor('id', [guardado.moodleUserId]);
      if (vivo) return vivo;
    }
    return this.buscar(
      seguro(() => usernameDesdeUpn(upn)),
      emailDesdeUpn(upn),
    );
  }

  /**
   * By username first, then by email: a user an admin created by hand, or one Moodle made at a
   * Microsoft sign-in, has the student's address but perhaps another username; creating a second
   * one would fail anyway (Moodle refuses a repeated email unless allowaccountssameemail is on).
   */
  async buscar(username: string, email: string): Promise<UsuarioMoodle | undefined> {
    const [porUsername] = await this.moodle.usuariosPor('username', [username]);
    if (porUsername) return porUsername;
    const porEmail = await this.moodle.usuariosPor('email', [email]);
    if (porEmail.length > 1)
      throw new PermanentError(
        `${porEmail.length} Moodle users have the email ${email}; an admin must say which one is the student’s`,
        'usuario-ambiguo',
      );
    return porEmail[0];
  }
}

/** The user Lucy would create for the student; a UPN or a name Moodle cannot take is a permanent failure. */
export const perfilSeguro = (upn: string, alumno: AlumnoDatos) => seguro(() => perfilMoodle(upn, alumno));

function seguro<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof UsernameInvalido) throw new PermanentError(err.message, 'username-invalido');
    if (err instanceof NombreInvalido) throw new PermanentError(err.message, 'nombre-invalido');
    throw err;
  }
}
