// ActualizarCuentaTeams: the student's data changed, so their Entra user is brought in step with it: the
// profile the account was created with (domain/perfil.ts), in one PATCH of only what differs, none when
// nothing does (a repeated command writes nothing). The UPN is never changed here: the one today's
// pattern would give is reported for an operator to decide (upnSugerido).
import { Injectable } from '@nestjs/common';
import type { ActualizarCuentaTeams } from '@lucy/contracts';
import { RuntimeConfig } from '@lucy/runtime-config';
import type { RuntimeKey } from '../runtime-keys.js';
import { puedeSerDemoraDeReplicacion } from '../domain/cuenta.js';
import { cambiosDePerfil, perfilDe } from '../domain/perfil.js';
import { upnSugerido } from '../domain/upn.js';
import { GraphClient } from '../graph/graph.client.js';
import type { CuentaEntity } from '../persistence/cuenta.entity.js';
import { cuentaInexistente, destinoDe } from './destino.js';

export interface Actualizacion {
  graphUserId: string;
  /** The Graph properties changed (none when Entra had every value already). */
  campos: string[];
  upnSugerido: string | null;
}

@Injectable()
export class ActualizarCuenta {
  constructor(
    private readonly graph: GraphClient,
    private readonly runtime: RuntimeConfig<RuntimeKey>,
  ) {}

  /** Throws a permanent cuenta-inexistente when the student has no live user (deleted, or never made). */
  async ejecutar(cmd: ActualizarCuentaTeams, cuenta: CuentaEntity | null): Promise<Actualizacion> {
    const opts = { justWritten: puedeSerDemoraDeReplicacion(cuenta) };
    const destino = destinoDe(cmd, cuenta);
    const user = await this.graph.findUser(destino, opts);
    if (!user) throw cuentaInexistente(destino, 'no live account to update (deleted, or never created)');
    const cambios = cambiosDePerfil(user, perfilDe(cmd.alumno));
    const campos = Object.keys(cambios);
    if (campos.length) await this.graph.updateUser(user.id, cambios, opts);
    const { patron, dominio } = this.runtime.get('upn');
    return {
      graphUserId: user.id,
      campos,
      upnSugerido: upnSugerido(user.userPrincipalName, patron, cmd.alumno, dominio),
    };
  }
}
