// The onboarding workflow as the saga sees it: plain data, loaded from and saved to the workflow row.
import type { AlumnoDatos } from '@lucy/contracts';
import { PASOS, type Paso } from './onboarding.pasos.js';

export { PASOS, type Paso };

export const ESTADOS = [
  'creando_cuenta',
  'enrolando_y_notificando',
  'completado',
  'completado_con_avisos',
  'fallido',
  'compensando',
  'compensado',
  'compensacion_fallida',
] as const;
export type EstadoWorkflow = (typeof ESTADOS)[number];
export const TERMINALES: readonly EstadoWorkflow[] = [
  'completado',
  'completado_con_avisos',
  'fallido',
  'compensado',
  'compensacion_fallida',
];

export type EstadoPaso = 'pendiente' | 'en_curso' | 'completado' | 'fallido' | 'omitido';

export interface PasoState {
  estado: EstadoPaso;
  intentos: number;
  ultimoError: string | null;
  detalle: Record<string, unknown> | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface OnboardingState {
  estado: EstadoWorkflow;
  alumnoId: string;
  loteId: string | null;
  alumno: AlumnoDatos | null;
  upn: string | null;
  cursos: string[];
  avisos: string[];
  error: string | null;
  atascado: boolean;
  pasos: Record<Paso, PasoState>;
}

export const pasoInicial = (): PasoState => ({
  estado: 'pendiente',
  intentos: 0,
  ultimoError: null,
  detalle: null,
  startedAt: null,
  finishedAt: null,
});

export function nuevoOnboarding(alumnoId: string): OnboardingState {
  return {
    estado: 'creando_cuenta',
    alumnoId,
    loteId: null,
    alumno: null,
    upn: null,
    cursos: [],
    avisos: [],
    error: null,
    atascado: false,
    pasos: Object.fromEntries(PASOS.map((p) => [p, pasoInicial()])) as Record<Paso, PasoState>,
  };
}
