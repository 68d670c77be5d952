// The onboarding's steps, one row each. Everything else that knows the steps is derived from this table
// (onboarding.saga.ts): the workflow's state, what the sweeper retries and when it gives up, the deadlines,
// the undo order, what the API and the dashboard show, and which operator actions re-run a step.
//
// A forward step starts when the step it follows (`tras`) completes — the services hear the event that
// completed it (choreography) — or with the workflow when it follows none; its `ok` / `falla` replies
// settle it. An undo step (`deshace`) runs only while compensating, in reverse forward order, sent by the
// saga and re-sent by the sweeper. What a reply says worth keeping (`detalle`: the ids the system gave
// among it) is kept in the step's details and read back with the saga's `idDe`: a new system needs no column.
import {
  AlumnoCreado,
  CuentaTeamsCreada,
  CuentaTeamsEliminacionFallida,
  CuentaTeamsEliminada,
  CuentaTeamsFallida,
  DesenrolarMoodle,
  EliminarCuentaTeams,
  EmailEnviado,
  EmailFallido,
  EnrolarMoodle,
  MoodleDesenrolado,
  MoodleDesenrolamientoFallido,
  MoodleEnrolado,
  MoodleFallido,
  RestablecerPassword,
  type AlumnoDatos,
  type MessageDefinition,
  type Payload,
} from '@lucy/contracts';

export interface Comando<D extends MessageDefinition = MessageDefinition> {
  def: D;
  payload: Payload<D>;
}

/** What a step's command is built from: the workflow as the saga reads it. */
export interface Vista {
  alumnoId: string;
  loteId: string | null;
  upn: string | null;
  alumno: AlumnoDatos | null;
  cursos: string[];
  /** The ids the steps keep (graphUserId, moodleUserId, …). */
  ids: Record<string, unknown>;
  /** The account step failed and left a user in Entra (CuentaTeamsFallida named it). */
  cuentaDejada: boolean;
}

export interface PasoDef {
  paso: string;
  /** How an operator reads it (dashboard). */
  etiqueta: string;
  /** The reply that settles it as done, and the one that settles it as failed. */
  ok: MessageDefinition;
  falla: MessageDefinition;
  /** Forward step: its failure fails the onboarding (the rest only warn). */
  critico?: boolean;
  /** Forward step: starts when this one completes; none means with the workflow. */
  tras?: string;
  /** Undo step: the forward step it undoes. */
  deshace?: string;
  /** How long the step may run before the workflow is overdue (scaled by WORKFLOW_TIMEOUT_FACTOR). */
  plazoMs: number;
  /** Fields of the replies kept in the step's details (a field a reply leaves out or null keeps its value). */
  detalle?: readonly string[];
  /** The command that does (or re-does) the step, when the saga sends it: undo steps and operator retries. */
  comando?: (v: Vista) => Comando;
  /** Operator actions that send `comando` again for a student whose step ended; `reabre`: the step is open from the request. */
  acciones?: readonly { accion: string; etiqueta: string; reabre?: boolean }[];
}

export const PASOS_ONBOARDING = [
  {
    paso: 'cuenta',
    etiqueta: 'Cuenta de Microsoft 365',
    ok: CuentaTeamsCreada,
    falla: CuentaTeamsFallida,
    critico: true,
    // Above teams-service's retry budget for the account (RETRY_DELAYS_MS, about 38 minutes by default).
    plazoMs: 60 * 60_000,
    detalle: ['upn', 'graphUserId', 'existente', 'credencialVersion', 'deshabilitada'],
    comando: (v) => ({ def: AlumnoCreado, payload: { alumnoId: v.alumnoId, loteId: v.loteId, alumno: v.alumno! } }),
  },
  {
    paso: 'moodle',
    etiqueta: 'Enrolamiento en Moodle',
    ok: MoodleEnrolado,
    falla: MoodleFallido,
    tras: 'cuenta',
    plazoMs: 60 * 60_000,
    detalle: ['moodleUserId', 'username', 'cursos'],
    comando: (v) => ({ def: EnrolarMoodle, payload: { alumnoId: v.alumnoId, upn: v.upn!, alumno: v.alumno! } }),
    acciones: [{ accion: 'enrolar-moodle', etiqueta: 'Enrolar en Moodle', reabre: true }],
  },
  {
    paso: 'email',
    etiqueta: 'Correo con credenciales',
    ok: EmailEnviado,
    falla: EmailFallido,
    tras: 'cuenta',
    plazoMs: 60 * 60_000,
    detalle: ['destinatario', 'credencialVersion'],
    // Credentials are never kept to resend: resending them is a new temporary password, emailed when
    // teams-service confirms it (PasswordRestablecida opens the step again).
    comando: (v) => ({
      def: RestablecerPassword,
      payload: {
        alumnoId: v.alumnoId,
        upn: v.upn!,
        graphUserId: (v.ids.graphUserId as string | null) ?? null,
        alumno: v.alumno!,
      },
    }),
    acciones: [
      { accion: 'reenviar-credenciales', etiqueta: 'Reenviar credenciales' },
      { accion: 'restablecer-password', etiqueta: 'Restablecer contraseña' },
    ],
  },
  {
    paso: 'desenrolar_moodle',
    etiqueta: 'Desenrolar de Moodle',
    ok: MoodleDesenrolado,
    falla: MoodleDesenrolamientoFallido,
    deshace: 'moodle',
    plazoMs: 30 * 60_000,
    comando: (v) => ({
      def: DesenrolarMoodle,
      payload: { alumnoId: v.alumnoId, upn: v.upn!, cursos: v.cursos.length ? v.cursos : undefined },
    }),
  },
  {
    paso: 'eliminar_cuenta',
    etiqueta: 'Eliminar la cuenta',
    ok: CuentaTeamsEliminada,
    falla: CuentaTeamsEliminacionFallida,
    deshace: 'cuenta',
    plazoMs: 30 * 60_000,
    detalle: ['yaNoExistia'],
    // The account a failed onboarding left is deleted only while no later onboarding has adopted it
    // (teams-service checks under its row lock).
    comando: (v) => ({
      def: EliminarCuentaTeams,
      payload: {
        alumnoId: v.alumnoId,
        upn: v.upn!,
        graphUserId: (v.ids.graphUserId as string | null) ?? null,
        ...(v.cuentaDejada ? { dejadaPorFallo: true } : {}),
      },
    }),
  },
] as const satisfies readonly PasoDef[];

export type Paso = (typeof PASOS_ONBOARDING)[number]['paso'];
/** Every step's name, in the order an operator reads them (forward steps, then their undo steps). */
export const PASOS: readonly Paso[] = PASOS_ONBOARDING.map((p) => p.paso);

/** The table with every row's optional fields visible (the `as const` above keeps the names literal). */
export const TABLA: readonly (PasoDef & { paso: Paso })[] = PASOS_ONBOARDING;
export const definicion = (paso: Paso) => TABLA.find((p) => p.paso === paso)!;
