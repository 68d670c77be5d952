// The student's data changed, or they are leaving or back: their Moodle user gets the profile Lucy gives it
// (the same fields as at creation) and, when asked, the suspension. Only what Moodle does not hold already
// is sent, so doing it twice sends nothing the second time. A student with no Moodle user has nothing to
// update: that is an answer, not a failure — unless they come back (suspendido: false) and must be able to
// sign in: their user (deleted when they left, say) is made and enrolled in their courses as onboarding does.
import { Injectable, Logger } from '@nestjs/common';
import type { ActualizarUsuarioMoodle, UsuarioMoodleActualizado } from '@lucy/contracts';
import type { EntityManager } from 'typeorm';
import { camposDistintos } from '../domain/usuario.js';
import { MoodleClient } from '../moodle/moodle.client.js';
import { EnrolamientoService } from './enrolamiento.service.js';
import { perfilSeguro, UsuarioMoodleService } from './usuario-moodle.service.js';

@Injectable()
export class ActualizacionUsuarioService {
  private readonly log = new Logger(ActualizacionUsuarioService.name);

  constructor(
    private readonly usuarios: UsuarioMoodleService,
    private readonly moodle: MoodleClient,
    private readonly enrolamiento: EnrolamientoService,
  ) {}

  async actualizar(manager: EntityManager, c: ActualizarUsuarioMoodle): Promise<UsuarioMoodleActualizado> {
    const usuario = await this.usuarios.actual(manager, c.alumnoId, c.upn);
    if (!usuario && c.suspendido === false) {
      const { moodleUserId } = await this.enrolamiento.enrolar(manager, c);
      this.log.log({ alumnoId: c.alumnoId, moodleUserId }, 'a returning student had no Moodle user: made and enrolled');
      return { alumnoId: c.alumnoId, moodleUserId, campos: [], suspendido: false, recreado: true };
    }
    if (!usuario) return { alumnoId: c.alumnoId, moodleUserId: null, campos: [], suspendido: c.suspendido ?? false };

    const cambios: Record<string, string | number> = camposDistintos(usuario, perfilSeguro(c.upn, c.alumno));
    // Suspended users cannot log in (authenticate_user_login, auth_oauth2 refuse them) and Moodle ends their
    // sessions when it suspends them (update_users); their enrolments and data stay for a return.
    // A user whose state Moodle does not report is sent the one asked for.
    if (c.suspendido !== undefined && usuario.suspended !== c.suspendido) cambios.suspended = c.suspendido ? 1 : 0;
    const campos = Object.keys(cambios);
    if (campos.length) {
      await this.moodle.actualizarUsuario(usuario.id, cambios);
      this.log.log({ alumnoId: c.alumnoId, moodleUserId: usuario.id, campos }, 'Moodle user updated');
    }
    return {
      alumnoId: c.alumnoId,
      moodleUserId: usuario.id,
      campos,
      suspendido: c.suspendido ?? usuario.suspended ?? false,
    };
  }
}
