// The student's lifecycle after onboarding, as data: each kind of workflow is a list of phases, each
// phase a set of steps sent together; the next phase starts when every step of this one has answered
// (after a wait, for a phase that has one). Like onboarding's table (sagas/onboarding.pasos.ts), a step
// names the command that does it and the replies that settle it; the engine is ciclo.saga.ts.
//
//   actualizacion  datos: update the Entra user and the Moodle user; inscripciones when estado/periodo or the
//                  source's courses (cursosFuente) changed
//   baja           suspension: disable the account, suspend the Moodle user ── grace (GRACIA_BAJA_DIAS) ──>
//                  eliminacion: delete the account (Entra soft delete frees the licence), and the Moodle user
//                  when the configuration says so (moodleAlEliminar: eliminar; else it stays suspended).
//                  The student back while suspended: the leave closes (cancelado) and a retorno follows.
//   retorno        reactivacion: enable the account (restored from deletedItems if deleted within 30 days) and
//                  the Moodle user; an account gone for good means onboarding again. datos: what the student
//                  comes back with (new data, a new estado or periodo's courses), and the email telling them
//                  their account is active again (their UPN; the account keeps its password).
//   inscripcion    an operator's list of courses, all or none.
//   reparacion     what a reconciliation found wrong, put right with the steps above (only those that apply):
//                  cuenta: the account enabled (restored, or re-licensed; gone for good: onboarding again), or
//                  disabled again (and the Moodle user suspended again) for a suspended student ── datos: its
//                  profile written again, the Moodle user made again or its suspension lifted (with its
//                  profile), or only its profile written again ── cursos: the missing enrolments.
import {
  ActualizarCuentaTeams,
  AvisoRetornoEnviado,
  AvisoRetornoFallido,
  ActualizarInscripciones,
  ActualizarUsuarioMoodle,
  cambianLosCursos,
  CuentaTeamsActualizacionFallida,
  CuentaTeamsActualizada,
  CuentaTeamsDeshabilitacionFallida,
  CuentaTeamsDeshabilitada,
  CuentaTeamsEliminacionFallida,
  CuentaTeamsEliminada,
  CuentaTeamsHabilitacionFallida,
  CuentaTeamsHabilitada,
  CursosInscriptos,
  DeshabilitarCuentaTeams,
  EliminarCuentaTeams,
  EliminarUsuarioMoodle,
  EnviarAvisoRetorno,
  HabilitarCuentaTeams,
  InscribirCursos,
  InscripcionesActualizacionFallida,
  InscripcionesActualizadas,
  InscripcionFallida,
  UsuarioMoodleActualizacionFallida,
  UsuarioMoodleActualizado,
  UsuarioMoodleEliminacionFallida,
  UsuarioMoodleEliminado,
  type AlumnoDatos,
  type Configuracion,
  type SistemaReconciliacion,
  type TipoDiferencia,
  type MessageDefinition,
} from '@lucy/contracts';
import type { Comando } from '../sagas/onboarding.pasos.js';

export type { Comando };

/**
 * What a repair puts right: a kind of difference as it was found. Entra's kinds and the ones only Moodle has
 * (moodle_usuario_faltante, inscripcion_faltante) are the kind itself; any other kind found in Moodle (the
 * user's suspension, its profile) is `moodle:<kind>`, so it is never taken for Entra's.
 */
export type Reparo = TipoDiferencia | `moodle:${TipoDiferencia}`;
const SOLO_DE_MOODLE: readonly TipoDiferencia[] = ['moodle_usuario_faltante', 'inscripcion_faltante'];
export const reparoDe = (sistema: SistemaReconciliacion, tipo: TipoDiferencia): Reparo =>
  sistema === 'moodle' && !SOLO_DE_MOODLE.includes(tipo) ? `moodle:${tipo}` : tipo;

/** What a lifecycle workflow knows of the student when it sends a command. */
export interface DatosCiclo {
  alumnoId: string;
  upn: string;
  graphUserId: string | null;
  alumno: AlumnoDatos;
  /** actualizacion: the data before (its estado and periodo decide the courses). */
  anterior?: AlumnoDatos | null;
  /** inscripcion: the courses asked for. */
  cursos?: string[];
  /** retorno: which of the student's returns this is (1, 2, ...): one return email each. */
  retorno?: number;
  /** reparacion: the kinds of difference a reconciliation found (and `cursos`: the enrolments missing). */
  reparar?: Reparo[];
}

/** What the engine reads of the configuration: the grace (the environment's), and the runtime keys it applies. */
export interface ConfigCiclo {
  graciaBajaDias: number;
  moodleAlEliminar: Configuracion['moodleAlEliminar'];
}

export interface PasoCiclo {
  paso: string;
  etiqueta: string;
  ok: MessageDefinition;
  falla: MessageDefinition;
  comando: (d: DatosCiclo) => Comando;
  /** Its failure fails the workflow (the others complete it with a warning). */
  critico?: boolean;
  /**
   * Sent only when this holds (the courses only when estado or periodo changed; the Moodle user deleted only
   * when the configuration says so, as it stands when the phase starts). Else the step is `omitido`.
   */
  aplica?: (d: DatosCiclo, config: ConfigCiclo) => boolean;
  /** Fields of the ok reply kept in the step's details. */
  detalle?: readonly string[];
}

export interface Fase {
  fase: string;
  pasos: readonly PasoCiclo[];
  /** How long to wait before this phase starts (the grace of a leaver), from the config; none: at once. */
  esperaDias?: 'graciaBajaDias';
  /** The workflow's state while this phase waits to start. */
  esperando?: string;
}

export interface TipoCiclo {
  tipo: 'actualizacion' | 'baja' | 'retorno' | 'inscripcion' | 'reparacion';
  etiqueta: string;
  fases: readonly Fase[];
}

const cuenta = (d: DatosCiclo) => ({ alumnoId: d.alumnoId, upn: d.upn, graphUserId: d.graphUserId });
const cambioDeCursos = (d: DatosCiclo) => !!d.anterior && cambianLosCursos(d.anterior, d.alumno);
/** The data the student comes back with differs from what their accounts were given. */
const datosCambiaron = (d: DatosCiclo) =>
  !!d.anterior &&
  (['dni', 'nombre', 'apellido', 'emailPersonal', 'emailInstitucional', 'carrera'] as const).some(
    (k) => d.anterior![k] !== d.alumno[k],
  );

const habilitarCuenta: PasoCiclo = {
  paso: 'habilitar_cuenta',
  etiqueta: 'Habilitar la cuenta',
  ok: CuentaTeamsHabilitada,
  falla: CuentaTeamsHabilitacionFallida,
  critico: true,
  comando: (d) => ({ def: HabilitarCuentaTeams, payload: cuenta(d) }),
  detalle: ['graphUserId', 'restaurada'],
};
const reactivarMoodle: PasoCiclo = {
  paso: 'reactivar_moodle',
  etiqueta: 'Reactivar el usuario de Moodle',
  ok: UsuarioMoodleActualizado,
  falla: UsuarioMoodleActualizacionFallida,
  comando: (d) => ({
    def: ActualizarUsuarioMoodle,
    payload: { alumnoId: d.alumnoId, upn: d.upn, alumno: d.alumno, suspendido: false },
  }),
  detalle: ['moodleUserId', 'suspendido', 'recreado'],
};

const actualizarCuenta: PasoCiclo = {
  paso: 'actualizar_cuenta',
  etiqueta: 'Actualizar la cuenta de Microsoft 365',
  ok: CuentaTeamsActualizada,
  falla: CuentaTeamsActualizacionFallida,
  comando: (d) => ({ def: ActualizarCuentaTeams, payload: { ...cuenta(d), alumno: d.alumno } }),
  detalle: ['campos', 'upnSugerido'],
};
const actualizarMoodle: PasoCiclo = {
  paso: 'actualizar_moodle',
  etiqueta: 'Actualizar el usuario de Moodle',
  ok: UsuarioMoodleActualizado,
  falla: UsuarioMoodleActualizacionFallida,
  comando: (d) => ({ def: ActualizarUsuarioMoodle, payload: { alumnoId: d.alumnoId, upn: d.upn, alumno: d.alumno } }),
  detalle: ['moodleUserId', 'campos'],
};
const actualizarInscripciones: PasoCiclo = {
  paso: 'actualizar_inscripciones',
  etiqueta: 'Cursos del nuevo estado o periodo, o de la fuente',
  ok: InscripcionesActualizadas,
  falla: InscripcionesActualizacionFallida,
  aplica: cambioDeCursos,
  comando: (d) => ({
    def: ActualizarInscripciones,
    payload: {
      alumnoId: d.alumnoId,
      upn: d.upn,
      alumno: d.alumno,
      anterior: {
        estado: d.anterior!.estado,
        periodo: d.anterior!.periodo,
        ...(d.anterior!.cursosFuente ? { cursosFuente: d.anterior!.cursosFuente } : {}),
      },
    },
  }),
  detalle: ['enrolados', 'desenrolados'],
};

// Not critical: an email that cannot be delivered leaves the return done, with a warning.
const avisarRetorno: PasoCiclo = {
  paso: 'avisar_retorno',
  etiqueta: 'Avisar por correo que la cuenta está activa',
  ok: AvisoRetornoEnviado,
  falla: AvisoRetornoFallido,
  comando: (d) => ({
    def: EnviarAvisoRetorno,
    payload: { alumnoId: d.alumnoId, upn: d.upn, alumno: d.alumno, retorno: d.retorno ?? 1 },
  }),
  detalle: ['destinatario'],
};

const suspenderCuenta: PasoCiclo = {
  paso: 'suspender_cuenta',
  etiqueta: 'Deshabilitar la cuenta',
  ok: CuentaTeamsDeshabilitada,
  falla: CuentaTeamsDeshabilitacionFallida,
  critico: true,
  comando: (d) => ({ def: DeshabilitarCuentaTeams, payload: cuenta(d) }),
  detalle: ['graphUserId'],
};
const suspenderMoodle: PasoCiclo = {
  paso: 'suspender_moodle',
  etiqueta: 'Suspender el usuario de Moodle',
  ok: UsuarioMoodleActualizado,
  falla: UsuarioMoodleActualizacionFallida,
  comando: (d) => ({
    def: ActualizarUsuarioMoodle,
    payload: { alumnoId: d.alumnoId, upn: d.upn, alumno: d.alumno, suspendido: true },
  }),
  detalle: ['moodleUserId', 'suspendido'],
};
const inscribirCursos: PasoCiclo = {
  paso: 'inscribir_cursos',
  etiqueta: 'Inscribir en los cursos pedidos',
  ok: CursosInscriptos,
  falla: InscripcionFallida,
  critico: true,
  comando: (d) => ({
    def: InscribirCursos,
    payload: { alumnoId: d.alumnoId, upn: d.upn, alumno: d.alumno, cursos: d.cursos ?? [] },
  }),
  detalle: ['moodleUserId', 'cursos'],
};

/** A repair applies a step when the reconciliation found one of these kinds for the student. */
const encontro =
  (...tipos: Reparo[]) =>
  (d: DatosCiclo) =>
    (d.reparar ?? []).some((t) => tipos.includes(t));
/** Lifting the Moodle user's suspension sends its profile too (ActualizarUsuarioMoodle): one command, not two. */
const reactivaMoodle = encontro('moodle_usuario_faltante', 'moodle:cuenta_deshabilitada');

export const TIPOS_CICLO: readonly TipoCiclo[] = [
  {
    tipo: 'actualizacion',
    etiqueta: 'Actualización de datos',
    fases: [
      {
        fase: 'datos',
        pasos: [actualizarCuenta, actualizarMoodle, actualizarInscripciones],
      },
    ],
  },
  {
    tipo: 'baja',
    etiqueta: 'Baja',
    fases: [
      {
        fase: 'suspension',
        pasos: [suspenderCuenta, suspenderMoodle],
      },
      {
        fase: 'eliminacion',
        esperaDias: 'graciaBajaDias',
        esperando: 'suspendido',
        pasos: [
          {
            paso: 'eliminar_cuenta',
            etiqueta: 'Eliminar la cuenta (y liberar la licencia)',
            ok: CuentaTeamsEliminada,
            falla: CuentaTeamsEliminacionFallida,
            critico: true,
            comando: (d) => ({ def: EliminarCuentaTeams, payload: cuenta(d) }),
            detalle: ['yaNoExistia'],
          },
          {
            paso: 'eliminar_moodle',
            etiqueta: 'Eliminar el usuario de Moodle',
            ok: UsuarioMoodleEliminado,
            falla: UsuarioMoodleEliminacionFallida,
            aplica: (_d, config) => config.moodleAlEliminar === 'eliminar',
            comando: (d) => ({ def: EliminarUsuarioMoodle, payload: { alumnoId: d.alumnoId, upn: d.upn } }),
            detalle: ['moodleUserId', 'yaNoExistia'],
          },
        ],
      },
    ],
  },
  {
    tipo: 'retorno',
    etiqueta: 'Retorno',
    fases: [
      { fase: 'reactivacion', pasos: [habilitarCuenta, reactivarMoodle] },
      // What the student comes back with, once the account is back: their new data and the courses of a
      // new estado or periodo (compared with what their accounts were given); and the email that tells them.
      {
        fase: 'datos',
        pasos: [
          { ...actualizarCuenta, aplica: datosCambiaron },
          { ...actualizarMoodle, aplica: datosCambiaron },
          actualizarInscripciones,
          avisarRetorno,
        ],
      },
    ],
  },
  {
    tipo: 'inscripcion',
    etiqueta: 'Inscripción en cursos',
    fases: [
      {
        fase: 'cursos',
        pasos: [inscribirCursos],
      },
    ],
  },
  {
    tipo: 'reparacion',
    etiqueta: 'Reparación (reconciliación)',
    fases: [
      {
        fase: 'cuenta',
        pasos: [
          // Enabling restores a deleted account (deleted items, 30 days) and licenses one left with none; one gone
          // for good answers cuenta-inexistente and the student is onboarded again, as on a return.
          { ...habilitarCuenta, aplica: encontro('cuenta_faltante', 'cuenta_deshabilitada', 'licencia_faltante') },
          { ...suspenderCuenta, aplica: encontro('cuenta_habilitada') },
          { ...suspenderMoodle, aplica: encontro('moodle:cuenta_habilitada') },
        ],
      },
      {
        fase: 'datos',
        pasos: [
          { ...actualizarCuenta, aplica: encontro('datos_distintos') },
          // Lifting a suspension that is not there makes the user again and enrols them as at onboarding.
          { ...reactivarMoodle, aplica: reactivaMoodle },
          { ...actualizarMoodle, aplica: (d) => encontro('moodle:datos_distintos')(d) && !reactivaMoodle(d) },
        ],
      },
      { fase: 'cursos', pasos: [{ ...inscribirCursos, aplica: encontro('inscripcion_faltante') }] },
    ],
  },
];

/**
 * What an operator may do to a student's stay: start a leave, bring them back (a return, which closes a suspended leave), or
 * send again what their running lifecycle workflows still wait for (one flagged stuck, say).
 */
export const ACCIONES_CICLO = [
  { accion: 'suspender', etiqueta: 'Suspender (baja)' },
  { accion: 'reactivar', etiqueta: 'Reactivar' },
  { accion: 'reintentar-ciclo', etiqueta: 'Reintentar el ciclo (pasos sin respuesta)' },
] as const;

export type TipoWorkflowCiclo = TipoCiclo['tipo'];
export const tipoCiclo = (tipo: string) => TIPOS_CICLO.find((t) => t.tipo === tipo);
