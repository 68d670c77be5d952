// A reconciliation run, as the gateway asks each owning service for its part: compare its registry with its
// system and report every difference (events/reconciliacion.ts). It never changes anything in the system.
import { z } from 'zod';
import { defineCommand, type Payload } from '../message.js';
import { AlumnoEsperado } from '../common/reconciliacion.js';
import { ReconciliacionParcialFallida, ReconciliacionParcialTerminada } from '../events/reconciliacion.js';

const corrida = {
  reconciliacionId: z.uuid(),
  /** The students settled in Lucy and what their accounts must be (one message: RabbitMQ 4 takes up to 16 MiB, about 40,000 students). */
  alumnos: z.array(AlumnoEsperado).max(40_000),
};

/** teams-service: the Entra accounts (read with users/delta) against its registry and the students sent. */
export const ReconciliarCuentas = defineCommand({
  name: 'reconciliacion.cuentas',
  version: 1,
  schema: z.object(corrida),
  replies: [ReconciliacionParcialTerminada, ReconciliacionParcialFallida],
});
export type ReconciliarCuentas = Payload<typeof ReconciliarCuentas>;

/** moodle-service: the Moodle users and the enrolments Lucy made, against its registry and the students sent. */
export const ReconciliarMoodle = defineCommand({
  name: 'reconciliacion.moodle',
  version: 1,
  schema: z.object(corrida),
  replies: [ReconciliacionParcialTerminada, ReconciliacionParcialFallida],
});
export type ReconciliarMoodle = Payload<typeof ReconciliarMoodle>;
