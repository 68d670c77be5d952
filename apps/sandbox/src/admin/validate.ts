// Admin routes validate their bodies with zod and answer 400 with a readable message on bad input.
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';

export function validated<S extends z.ZodType>(
  schema: S,
  handle: (body: z.infer<S>, req: Request, res: Response) => unknown,
): RequestHandler {
  return (req, res) => {
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({
        message: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
        issues: parsed.error.issues,
      });
      return;
    }
    handle(parsed.data, req, res);
  };
}
