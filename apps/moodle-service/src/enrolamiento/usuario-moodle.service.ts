// The student's Moodle user: found if Moodle already has it, created otherwise, and recorded.
import { Injectable, Logger } from '@nestjs/common';
import type { AlumnoDatos } from '@lucy/contracts';
import { PermanentError } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { EntityManager } from 'typeorm';
import type { MoodleConfig } from '../config.js';
import { generarPassword } from '../domain/password.js';
import { perfilMoodle, UsernameInvalido } from '../domain/usuario.js';
import { MoodleClient, type UsuarioMoodle } from '../moodle/moodle.client.js';
import { MoodleUsuario } from '../persistence/moodle-usuario.entity.js';

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
    @InjectConfig() private readonly config: MoodleConfig,
  ) {}

  async encontrarOCrear(manager: EntityManager, alumnoId: string, upn: string, alumno: AlumnoDatos): Promise<UsuarioResuelto> {
    const perfil = perfilSeguro(upn, alumno);
    const guardado = await manager.findOneBy(MoodleUsuario, { alumnoId });
    const existente = await this.buscar(perfil.username, perfil.email);
    let usuario: { id: number; username: string; auth: string };
    if (existente) {
      // Found (a redelivery, an operator's retry, or someone created it by hand): used as it is.
      if (existente.suspended) this.log.warn({ alumnoId, moodleUserId: existente.id }, 'the student’s Moodle user is suspended; enrolling anyway');
      usuario = { id: existente.id, username: existente.username ?? perfil.username, auth: existente.auth ?? '' };
    } else {
      // manual keeps the password in Moodle and needs one that meets the site's policy; oauth2 and
      // oidc do not (they are not "internal" auth plugins) and must not be sent one.
      const password = this.config.MOODLE_AUTH === 'manual' ? generarPassword() : undefined;
      const creado = await this.moodle.crearUsuario({ ...perfil, auth: this.config.MOODLE_AUTH, password });
      usuario = { id: creado.id, username: creado.username, auth: this.config.MOODLE_AUTH };
      this.log.log({ alumnoId, moodleUserId: creado.id, auth: this.config.MOODLE_AUTH }, 'Moodle user created');
    }
    const creadoPorLucy = !existente || (guardado?.origen === 'creado' && guardado.moodleUserId === usuario.id);
    await manager.save(MoodleUsuario, {
      alumnoId,
      username: usuario.username,
      moodleUserId: usuario.id,
      auth: usuario.auth,
      origen: creadoPorLucy ? 'creado' : 'existente',
      updatedAt: new Date(),
    });
    return { moodleUserId: usuario.id, username: usuario.username, creadoAhora: !existente };
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
    if (porEmail.length > 1) throw new PermanentError(`${porEmail.length} Moodle users have the email ${email}; an admin must say which one is the student’s`, 'usuario-ambiguo');
    return porEmail[0];
  }
}

function perfilSeguro(upn: string, alumno: AlumnoDatos) {
  try {
    return perfilMoodle(upn, alumno);
  } catch (err) {
    if (err instanceof UsernameInvalido) throw new PermanentError(err.message, 'username-invalido');
    throw err;
  }
}
