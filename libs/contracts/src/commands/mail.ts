// Commands the gateway sends to mail-service.
import { z } from 'zod';
import { defineCommand, type Payload } from '../message.js';
import { AlumnoDatos, alumnoId } from '../common/alumno.js';
import { AvisoRetornoEnviado, AvisoRetornoFallido } from '../events/aviso-retorno.js';

/**
 * A student came back (the lifecycle's retorno): email them that their account is active again. Their UPN,
 * never a password — a re-enabled or restored account keeps the one it had. `retorno` counts the student's
 * returns (1, 2, ...): one email per return, however often the command is delivered or the step retried.
 */
export const EnviarAvisoRetorno = defineCommand({
  name: 'email.enviar-aviso-retorno',
  version: 1,
  schema: z.object({ alumnoId, upn: z.email(), alumno: AlumnoDatos, retorno: z.number().int().positive() }),
  replies: [AvisoRetornoEnviado, AvisoRetornoFallido],
});
export type EnviarAvisoRetorno = Payload<typeof EnviarAvisoRetorno>;
