// SMTP-specific fault knobs, on top of the shared ones (ctx.faults 'smtp': down → 421 at connect,
// error5xx → 451 at MAIL FROM, throttle → 421 4.7.0 at MAIL FROM and close, latency → slow greeting).
import { z } from 'zod';

export const SmtpKnobsSchema = z
  .object({
    /** Recipients refused with 550 5.1.1 (glob patterns, '*' = any run of characters). */
    rejectRecipients: z.array(z.string()).default(['*@rechazado.example']),
    /** Recipients refused with 451 4.3.0 (a temporary failure: the client should retry later). */
    tempFailRecipients: z.array(z.string()).default(['*@temporal.example']),
    /** Recipients that get 452 4.2.2 mailbox full (temporary). */
    mailboxFullRecipients: z.array(z.string()).default(['*@lleno.example']),
    /** Held this long before answering the end of DATA (a slow server). */
    dataDelayMs: z.number().int().min(0).max(600_000).default(0),
    /** Drop the connection in the middle of DATA for the next N messages. */
    dropNextMessages: z.number().int().min(0).default(0),
    /** Drop the connection in the middle of DATA for every message whose recipients match these patterns. */
    dropRecipients: z.array(z.string()).default(['*@cortado.example']),
  })
  .strict();
export type SmtpKnobs = z.infer<typeof SmtpKnobsSchema>;

export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(value);
}

export const matchesAny = (patterns: readonly string[], value: string) => patterns.some((p) => globMatch(p, value));
