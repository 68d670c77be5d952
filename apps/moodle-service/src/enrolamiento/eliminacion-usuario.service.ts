// A leaver's grace is over and the configuration says their Moodle user goes with their account: it is
// deleted (core_user_delete_users), and what this service recorded of it (the user, Lucy's enrolments) is
// put to rest, so a return makes a new one as onboarding does. A student with no Moodle user is done;
// one deleted meanwhile (a redelivery after the delete, an admin) too: Moodle's invalidrecord.
import { Injectable, Logger } from '@nestjs/common';
import type { EliminarUsuarioMoodle, UsuarioMoodleEliminado } from '@lucy/contracts';
import { Not, type EntityManager } from 'typeorm';
import { MoodleClient } from '../moodle/moodle.client.js';
import { Inscripcion } from '../persistence/inscripcion.entity.js';
import { MoodleUsuario } from '../persistence/moodle-usuario.entity.js';
import { UsuarioMoodleService } from './usuario-moodle.service.js';

/** The code our errors give Moodle's dml_missing_record_exception (moodle/moodle.errors.ts). */
const REGISTRO_INEXISTENTE = 'moodle:invalidrecord';

@Injectable()
export class EliminacionUsuarioService {
  private readonly log = new Logger(EliminacionUsuarioService.name);

  constructor(
    private readonly usuarios: UsuarioMoodleService,
    private readonly moodle: MoodleClient,
  ) {}

  async eliminar(manager: EntityManager, c: EliminarUsuarioMoodle): Promise<UsuarioMoodleEliminado> {
    const usuario = await this.usuarios.actual(manager, c.alumnoId, c.upn);
    let yaNoExistia = !usuario;
    if (usuario) {
      try {
        await this.moodle.eliminarUsuarios([usuario.id]);
        this.log.log({ alumnoId: c.alumnoId, moodleUserId: usuario.id }, 'Moodle user deleted');
      } catch (err) {
        if ((err as { code?: unknown }).code !== REGISTRO_INEXISTENTE) throw err;
        yaNoExistia = true;
      }
    }
    const ahora = new Date();
    await manager.delete(MoodleUsuario, { alumnoId: c.alumnoId });
    await manager.update(
      Inscripcion,
      { alumnoId: c.alumnoId, estado: Not('desenrolada') },
      { estado: 'desenrolada', desenroladaAt: ahora, updatedAt: ahora },
    );
    return { alumnoId: c.alumnoId, moodleUserId: usuario?.id ?? null, yaNoExistia };
  }
}
