// What the gateway itself removes in a retention run, each in short batches (platform's purgeInBatches):
// audit entries past auditoriaDias; finished tareas and workflows past dias — terminal states only, never
// a student's current state (their onboarding, which is their row in the student list, nor the latest
// workflow of each kind, which a return or a leave reads: ciclo.repository ultimo); and, like every
// service, its transport's inbox, outbox and parked messages (libs/messaging retention/).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EdadesRetencion, Purgado } from '@lucy/contracts';
import { DAY_MS, MessagingRuntime, messageRetentionOf } from '@lucy/messaging';
import { createLogger, InjectConfig, purgeInBatches, type PurgeSpec } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { TERMINALES } from '../sagas/onboarding.model.js';
import { TERMINALES_CICLO } from '../ciclo/ciclo.saga.js';
import { cortesGateway } from './retencion.reglas.js';

const TERMINALES_WORKFLOW = [...new Set<string>([...TERMINALES, ...TERMINALES_CICLO])];

@Injectable()
export class PurgaGateway {
  private readonly s: string;
  private readonly log;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly db: DataSource,
    private readonly messaging: MessagingRuntime,
  ) {
    this.s = `"${config.DB_SCHEMA}"`;
    this.log = createLogger(config.SERVICE_NAME, { level: config.LOG_LEVEL });
  }

  async aplicar(
    edades: EdadesRetencion,
    simular: boolean,
    signal?: AbortSignal,
    ahora = new Date(),
  ): Promise<Purgado[]> {
    const cortes = cortesGateway(ahora, edades);
    const lotes = {
      simulate: simular,
      batchSize: this.config.RETENCION_LOTE,
      pauseMs: this.config.RETENCION_PAUSA_MS,
      signal,
    };
    const propios: Purgado[] = [];
    const purgar = async (
      tipo: Purgado['tipo'],
      corte: Date,
      spec: Omit<PurgeSpec, 'params'>,
      extra: unknown[] = [],
    ) => {
      const r = await purgeInBatches(this.db, { ...spec, params: [corte, ...extra] }, lotes);
      propios.push({ tipo, cantidad: r.count, corte: corte.toISOString(), duracionMs: r.durationMs });
    };
    await purgar('auditoria', cortes.auditoria, { table: `${this.s}.auditoria`, where: 'at < $1', orderBy: 'id' });
    // finished_at follows started_at: the condition on started_at lets its index find the rows.
    await purgar('tareas', cortes.tareas, {
      table: `${this.s}.tarea`,
      where: `estado <> 'en_curso' AND finished_at < $1 AND started_at < $1`,
      orderBy: 'started_at',
    });
    // Steps go with their workflow (ON DELETE CASCADE). No order: the first rows a scan meets will do.
    await purgar(
      'workflows',
      cortes.workflows,
      {
        table: `${this.s}.workflow`,
        where: `tipo <> 'onboarding' AND estado = ANY($2::text[]) AND finished_at < $1
          AND EXISTS (SELECT 1 FROM ${this.s}.workflow n WHERE n.alumno_id = workflow.alumno_id AND n.tipo = workflow.tipo
                       AND (n.created_at, n.id) > (workflow.created_at, workflow.id))`,
      },
      [TERMINALES_WORKFLOW],
    );
    const transporte = await messageRetentionOf(this.messaging, this.db, this.log).apply({
      parkedRetentionMs: edades.aparcadosDias * DAY_MS,
      simulate: simular,
      now: ahora,
      batchSize: lotes.batchSize,
      pauseMs: lotes.pauseMs,
      signal,
    });
    return [...propios, ...transporte];
  }
}
