// A secret that travels through the broker encrypted for its reader: a temporary password leaves
// teams-service sealed (AES-256-GCM) and is opened only by mail-service. Key handling lives in
// libs/platform (secrets/); the contract only fixes the shape.
import { z } from 'zod';

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url');

export const sealedSecret = z
  .object({
    alg: z.literal('A256GCM'),
    /** Which key sealed it, so keys can be rotated while messages are in flight. */
    kid: z.string().min(1).max(64),
    iv: b64url,
    tag: b64url,
    ct: b64url,
  })
  .strict();
export type SealedSecret = z.infer<typeof sealedSecret>;
