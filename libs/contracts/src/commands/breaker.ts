// Operator commands about a service's circuit breakers.
import { z } from 'zod';
import { defineCommand, type Payload } from '../message.js';
import { BreakerCambiado } from '../events/breaker-cambiado.js';

/** Close a breaker now (the operator knows the dependency is back); answered with BreakerCambiado. */
export const ReiniciarBreaker = defineCommand({
  name: 'breaker.reiniciar',
  version: 1,
  schema: z.object({ servicio: z.string().min(1), dependencia: z.string().min(1) }),
  replies: [BreakerCambiado],
});
export type ReiniciarBreaker = Payload<typeof ReiniciarBreaker>;
