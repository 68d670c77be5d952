// New students who wait for an operator's approval before their onboarding (runtime key aprobacionNuevos).
// ingest-service holds them in its release window and says so (AlumnoEnEspera); the gateway lists them
// (`pendiente_aprobacion`, then `aprobado` until their onboarding starts) and sends an operator's approval
// (AprobarAlumno), audited under the operator's name. Once their onboarding workflow exists, it is the
// student's state; the row stays as the record of who approved them.
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AprobarAlumno, type AlumnoEnEspera } from '@lucy/contracts';
import { MessagingRuntime, type MessageContext } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import type { GatewayConfig } from '../config.js';
import { AuditoriaRepository } from '../workflows/auditoria.repository.js';
import { WorkflowRepository } from '../workflows/workflow.repository.js';
import { AlumnoPorAprobarRepository } from './alumno-por-aprobar.repository.js';

@Injectable()
export class AprobacionService {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly messaging: MessagingRuntime,
    private readonly db: DataSource,
    private readonly porAprobar: AlumnoPorAprobarRepository,
    private readonly workflows: WorkflowRepository,
    private readonly auditoria: AuditoriaRepository,
  ) {}

  /**
   * The student waits (with their latest data), or no longer does without being onboarded (they left first).
   * An approval already given stays given.
   */
  async onEnEspera(m: EntityManager, e: AlumnoEnEspera, ctx: MessageContext): Promise<void> {
    await this.porAprobar.registrarEspera(m, e);
    await this.auditoria.registrar(m, {
      alumnoId: e.alumnoId,
      loteId: e.loteId,
      evento: 'alumno.en-espera',
      actor: 'sistema',
      messageId: ctx.envelope.messageId,
      causationId: ctx.envelope.causationId,
      correlationId: ctx.correlationId,
      detalle: {
        nota: e.enEspera
          ? 'espera la aprobación de un operador antes de su onboarding'
          : 'dejó de esperar sin ser incorporado: se dio de baja antes',
        alumno: e.alumno,
      },
    });
  }

  /**
   * An operator approves a waiting student: ingest-service releases them in their lote's window. 404 for a
   * student Lucy does not have; 409 for one who does not wait (onboarded, approved already, or gone).
   */
  async aprobar(alumnoId: string, actor: string): Promise<{ estado: string; comandos: string[]; nota: string }> {
    // The approval travels under the lote's correlation, as the rest of the student's onboarding does.
    const loteId = await this.porAprobar.loteDe(this.db.manager, alumnoId);
    const correlationId = loteId ? `lote-${loteId}` : `alumno-${alumnoId}`;
    return this.messaging.inTransaction(
      async ({ manager, publish }) => {
        const e = await this.porAprobar.bloquear(manager, alumnoId);
        const onboarding = await this.workflows.estado(manager, alumnoId);
        if (onboarding)
          throw new ConflictException(`el alumno no espera aprobación: su onboarding ya empezó (${onboarding})`);
        if (!e) throw new NotFoundException(`no hay un alumno ${alumnoId} esperando aprobación`);
        if (e.estado === 'aprobado') throw new ConflictException(`el alumno ya fue aprobado por ${e.aprobado_por}`);
        if (e.estado === 'descartado')
          throw new ConflictException('el alumno dejó de esperar: se dio de baja antes de ser aprobado');
        await this.porAprobar.aprobar(manager, alumnoId, actor);
        await this.auditoria.registrar(manager, {
          alumnoId,
          loteId: e.lote_id,
          evento: 'accion.aprobar',
          actor,
          correlationId,
          detalle: { nota: 'aprobado: se incorpora en su turno del lote' },
        });
        publish(AprobarAlumno, { alumnoId, aprobadoPor: actor });
        return {
          estado: 'aprobado',
          comandos: [AprobarAlumno.name],
          nota: 'aprobado: se incorpora en su turno del lote',
        };
      },
      { correlationId },
    );
  }

  /** A student who waits (or waited) for approval and has no onboarding yet, as GET /alumnos/{id} shows one. */
  async detalle(alumnoId: string) {
    const e = await this.porAprobar.leer(this.db.manager, alumnoId);
    if (!e) return undefined;
    const auditoria = await this.auditoria.delAlumno(this.db.manager, alumnoId);
    const estado = { pendiente: 'pendiente_aprobacion', aprobado: 'aprobado', descartado: 'descartado' }[
      e.estado as string
    ]!;
    return {
      alumnoId,
      alumno: e.alumno,
      cuentas: { upn: null, graphUserId: null, moodleUserId: null, cursos: [] },
      acciones: e.estado === 'pendiente' ? [{ accion: 'aprobar', etiqueta: 'Aprobar' }] : [],
      lotes: e.lote_id ? [e.lote_id] : [],
      workflow: {
        id: e.id,
        tipo: 'onboarding',
        estado,
        atascado: false,
        avisos: [],
        error: null,
        loteId: e.lote_id,
        aprobadoPor: e.aprobado_por,
        aprobadoAt: e.aprobado_at,
        creadoAt: e.created_at,
        actualizadoAt: e.updated_at,
        pasos: [],
      },
      ciclo: [],
      auditoria,
    };
  }
}
