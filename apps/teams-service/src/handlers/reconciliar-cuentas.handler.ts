import {
  DiferenciasEncontradas,
  enPartes,
  ReconciliacionParcialFallida,
  ReconciliacionParcialTerminada,
  ReconciliarCuentas,
} from '@lucy/contracts';
import { Handler, type OwnTransactionContext } from '@lucy/messaging';
import { RuntimeConfig } from '@lucy/runtime-config';
import { GraphClient } from '../graph/graph.client.js';
import type { RuntimeKey } from '../runtime-keys.js';
import { compararEntra } from '../reconciliacion/comparacion.js';
import { aplicarRonda } from '../reconciliacion/espejo.js';
import { EspejoRepository } from '../reconciliacion/espejo.repository.js';

/**
 * The Entra side of a reconciliation: one users/delta round (every page through the guard: each is a read
 * of the shared rate), laid over the mirror the earlier rounds left, then every student compared with it.
 * The first round (no link kept) reads every user; later ones read only the changes, and the mirror makes
 * their comparison as complete as the first. Runs take turns (one lease): two rounds from the same link
 * would each write the mirror. Nothing is written to Entra.
 */
@Handler(ReconciliarCuentas, {
  transaction: 'own',
  lease: () => 'reconciliacion-entra',
  onFailure: {
    event: ReconciliacionParcialFallida,
    payload: (c, fallo) => ({ reconciliacionId: c.reconciliacionId, sistema: 'entra' as const, ...fallo }),
  },
})
export class ReconciliarCuentasHandler {
  constructor(
    private readonly graph: GraphClient,
    private readonly espejo: EspejoRepository,
    private readonly runtime: RuntimeConfig<RuntimeKey>,
  ) {}

  async handle(cmd: ReconciliarCuentas, ctx: OwnTransactionContext) {
    const antes = await ctx.transaction((m) => this.espejo.leer(m));
    const ronda = await this.graph.readUsersDelta(antes.deltaLink);
    const usuarios = aplicarRonda(antes.usuarios, ronda);
    const cuentas = await ctx.transaction((m) => this.espejo.cuentas(m));
    const diferencias = compararEntra({
      esperados: cmd.alumnos,
      cuentas,
      usuarios,
      dominio: this.runtime.get('upn').dominio,
    });
    const partes = enPartes(diferencias);
    partes.forEach((parte, i) =>
      ctx.publish(DiferenciasEncontradas, {
        reconciliacionId: cmd.reconciliacionId,
        sistema: 'entra',
        parte: i,
        diferencias: parte,
      }),
    );
    ctx.publish(ReconciliacionParcialTerminada, {
      reconciliacionId: cmd.reconciliacionId,
      sistema: 'entra',
      partes: partes.length,
      diferencias: diferencias.length,
      revisados: cmd.alumnos.length + usuarios.length,
      completa: ronda.full,
    });
    await ctx.commit((m) => this.espejo.guardar(m, ronda.deltaLink, usuarios));
  }
}
