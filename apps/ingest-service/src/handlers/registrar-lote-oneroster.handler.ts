import { RegistrarLoteOneRoster } from '@lucy/contracts';
import { Handler, type MessageContext } from '@lucy/messaging';
import { RuntimeConfig } from '@lucy/runtime-config';
import { lecturaDeOneRoster } from '../oneroster/csv/oneroster-lectura.js';
import { RegistroService } from '../registro/registro.service.js';

@Handler(RegistrarLoteOneRoster)
export class RegistrarLoteOneRosterHandler {
  constructor(
    private readonly registro: RegistroService,
    private readonly runtime: RuntimeConfig<'cursosOneRoster'>,
  ) {}

  // An operator uploaded a OneRoster CSV zip: the gateway hands over its files' rows; register the students
  // they state as one lote (or, as a dry run, only say what it would do). Their classes map to Moodle
  // courses by the map in force now.
  async handle(cmd: RegistrarLoteOneRoster, ctx: MessageContext) {
    const tx = { manager: ctx.manager, publish: ctx.publish.bind(ctx) };
    await this.registro.registrarSubida(tx, cmd, ctx.correlationId, () =>
      lecturaDeOneRoster({ archivos: cmd.archivos, cursosOneRoster: this.runtime.get('cursosOneRoster') }),
    );
  }
}
