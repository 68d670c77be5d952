// Alerts: the gateway tells the operators that something it runs on its own went wrong — a scheduled job's
// run failed, a reconciliation failed, or one found more drift than the configured threshold. mail-service
// renders the email (the operator's template, or its own) and sends it to the recipients.
import { z } from 'zod';
import { defineCommand, defineEvent, type EventPayload, type Payload } from '../message.js';
import { fallo } from '../common/fallo.js';

export const TIPOS_ALERTA = ['trabajo_fallido', 'reconciliacion_fallida', 'deriva'] as const;
export type TipoAlerta = (typeof TIPOS_ALERTA)[number];

/** What an alert's template may show: each one always given (an empty string when it does not apply). */
export const VARIABLES_ALERTA = [
  'tipo',
  'titulo',
  'trabajo',
  'ejecucionId',
  'reconciliacionId',
  'motivo',
  'diferencias',
  'umbral',
  'detalle',
  'ocurridaAt',
] as const;

/** An operator's alert template (Handlebars, one plain-text body); null in the configuration: mail-service's own. */
export const PlantillaAlerta = z.object({
  asunto: z.string().min(1).max(500),
  cuerpo: z.string().min(1).max(100_000),
});
export type PlantillaAlerta = z.infer<typeof PlantillaAlerta>;

/** The configuration key `alertas`: who is told, past how many differences a reconciliation alerts, how. */
export const AjustesAlertas = z.object({
  /** The operators' addresses; empty: no email (the metric still counts the alerts). */
  destinatarios: z.array(z.email()).max(50),
  /** A terminated reconciliation with more differences than this alerts (deriva). */
  umbralDiferencias: z.number().int().min(0).max(10_000_000),
  plantilla: PlantillaAlerta.nullable(),
});
export type AjustesAlertas = z.infer<typeof AjustesAlertas>;

export const ALERTAS_POR_DEFECTO: AjustesAlertas = { destinatarios: [], umbralDiferencias: 50, plantilla: null };

/** The alert's email went out (accepted by the relay). */
export const AlertaEnviada = defineEvent({
  name: 'alerta.enviada',
  version: 1,
  schema: z.object({ alertaId: z.uuid(), destinatario: z.string().min(1), smtpMessageId: z.string().nullable() }),
});
export type AlertaEnviada = EventPayload<typeof AlertaEnviada>;

/** The alert's email could not be sent (or may not have been: codigo ENVIO_INCIERTO). */
export const AlertaFallida = defineEvent({
  name: 'alerta.fallida',
  version: 1,
  schema: z.object({ alertaId: z.uuid(), ...fallo }),
});
export type AlertaFallida = EventPayload<typeof AlertaFallida>;

/**
 * Email an alert to `destinatarios`, once per `alertaId` however often it is delivered. The recipients and
 * the template travel with it (the configuration in force when the alert was decided); `datos` are the
 * template's variables.
 */
export const EnviarAlerta = defineCommand({
  name: 'email.enviar-alerta',
  version: 1,
  schema: z.object({
    alertaId: z.uuid(),
    tipo: z.enum(TIPOS_ALERTA),
    destinatarios: z.array(z.email()).min(1).max(50),
    plantilla: PlantillaAlerta.nullable(),
    datos: z.object({
      titulo: z.string().min(1).max(500),
      trabajo: z.string().max(100).optional(),
      ejecucionId: z.string().max(100).optional(),
      reconciliacionId: z.string().max(100).optional(),
      motivo: z.string().max(2000).optional(),
      diferencias: z.number().int().min(0).optional(),
      umbral: z.number().int().min(0).optional(),
      porTipo: z.record(z.string(), z.number().int().min(0)).optional(),
      ocurridaAt: z.iso.datetime({ offset: true }),
    }),
  }),
  replies: [AlertaEnviada, AlertaFallida],
});
export type EnviarAlerta = Payload<typeof EnviarAlerta>;
