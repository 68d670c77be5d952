// Everything about the simulated tenant that tests and benchmarks may change: credentials, verified
// domains, licences, throttling. Set at start from the environment and changed at run time through
// the admin router (POST /_admin/graph/config).
import { z } from 'zod';
import { identityConfigFromEnv } from '../identity/identity.config.js';
import { DEFAULT_SKUS, SkuSchema } from './skus.js';

export const ThrottleConfigSchema = z
  .object({
    enabled: z.boolean(),
    /**
     * Resource-unit quota per application+tenant pair per window, by tenant size (Microsoft Graph
     * service-specific throttling limits → Identity and access service limits: S 3,500 / M 5,000 /
     * L 8,000 per 10 seconds; S under 50 users, M 50–500, L above 500).
     */
    resourceUnits: z
      .object({ small: z.number().int().min(1), medium: z.number().int().min(1), large: z.number().int().min(1) })
      .strict(),
    resourceUnitWindowSeconds: z.number().positive(),
    /** Write quota per application+tenant pair: 3,000 requests per 2 minutes 30 seconds. */
    writeLimit: z.number().int().min(1),
    writeWindowSeconds: z.number().positive(),
  })
  .strict();

export const GraphSandboxConfigSchema = z
  .object({
    tenantId: z.string().uuid(),
    tenantDomain: z.string().min(3),
    tenantDisplayName: z.string(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    appDisplayName: z.string(),
    tokenLifetimeSeconds: z.number().int().min(1).max(86_400),
    roles: z.array(z.string()),
    /** Domains a userPrincipalName may end in. The tenant's initial domain is always verified too. */
    verifiedDomains: z.array(z.string().min(3)).min(1),
    /** 'auto' sizes the tenant by its number of users, as Entra does. */
    tenantSize: z.enum(['auto', 'small', 'medium', 'large']),
    throttle: ThrottleConfigSchema,
    skus: z.array(SkuSchema),
    /** Page size when $top is absent (Graph: 100 for users) and the largest $top accepted (999). */
    defaultPageSize: z.number().int().min(1).max(999),
    maxPageSize: z.number().int().min(1),
    /** Fault knob: POST /users for these UPNs fails with a permanent 400 (one student's bad luck). */
    rejectedUserPrincipalNames: z.array(z.string()).default([]),
    /**
     * How long a deleted user stays in deleted items, restorable, before it is purged for good (Entra:
     * "up to 30 days. After 30 days, the item is permanently deleted"). 0 purges at once: a leaver's
     * account gone for good, without waiting a month.
     */
    deletedItemsRetentionSeconds: z
      .number()
      .int()
      .min(0)
      .default(30 * 86_400),
    /**
     * How long a users/delta deltaLink stays usable (directory objects: seven days, "Token duration" in
     * learn.microsoft.com/graph/delta-query-overview); older ones answer 400 syncStateNotFound.
     */
    deltaTokenLifetimeSeconds: z
      .number()
      .int()
      .min(0)
      .default(7 * 86_400),
    /**
     * Fault knob, epoch ms: delta and skip tokens issued before it answer 410 Gone with a Location to a
     * full sync ("Synchronization reset": the tenant's internal maintenance or migration). 0: never.
     */
    deltaResyncBefore: z.number().int().min(0).default(0),
  })
  .strict();
export type GraphSandboxConfig = z.infer<typeof GraphSandboxConfigSchema>;
export type ThrottleConfig = z.infer<typeof ThrottleConfigSchema>;

export function defaultGraphConfig(env: NodeJS.ProcessEnv = process.env): GraphSandboxConfig {
  const identity = identityConfigFromEnv(env);
  const ru = env.SANDBOX_GRAPH_RU_LIMIT ? Number(env.SANDBOX_GRAPH_RU_LIMIT) : undefined;
  const base: GraphSandboxConfig = {
    ...identity,
    verifiedDomains: env.SANDBOX_GRAPH_VERIFIED_DOMAINS
      ? env.SANDBOX_GRAPH_VERIFIED_DOMAINS.split(',')
          .map((d) => d.trim())
          .filter(Boolean)
      : ['estudiantes.unrc.edu.ar', identity.tenantDomain],
    tenantSize: (env.SANDBOX_GRAPH_TENANT_SIZE as GraphSandboxConfig['tenantSize']) || 'auto',
    throttle: {
      enabled: env.SANDBOX_GRAPH_THROTTLE !== 'off',
      resourceUnits: ru ? { small: ru, medium: ru, large: ru } : { small: 3500, medium: 5000, large: 8000 },
      resourceUnitWindowSeconds: 10,
      writeLimit: env.SANDBOX_GRAPH_WRITE_LIMIT ? Number(env.SANDBOX_GRAPH_WRITE_LIMIT) : 3000,
      writeWindowSeconds: 150,
    },
    skus: structuredClone(DEFAULT_SKUS),
    defaultPageSize: 100,
    maxPageSize: 999,
    rejectedUserPrincipalNames: [],
    deletedItemsRetentionSeconds: 30 * 86_400,
    deltaTokenLifetimeSeconds: 7 * 86_400,
    deltaResyncBefore: 0,
  };
  const fromJson = env.SANDBOX_GRAPH_CONFIG ? JSON.parse(env.SANDBOX_GRAPH_CONFIG) : {};
  return mergeGraphConfig(base, fromJson);
}

/**
 * Applies a partial change (top level replaced, `throttle` and `throttle.resourceUnits` merged) and
 * validates the result; throws a ZodError on a bad value. `skuUnits` ({skuPartNumber|skuId: n}) is a
 * shorthand that sets prepaidUnits.enabled of existing SKUs.
 */
export function mergeGraphConfig(current: GraphSandboxConfig, change: unknown): GraphSandboxConfig {
  const c = { ...((change ?? {}) as Record<string, any>) };
  const skuUnits = c.skuUnits as Record<string, number> | undefined;
  delete c.skuUnits;
  const next: any = { ...current, ...c };
  if (c.throttle) {
    next.throttle = { ...current.throttle, ...c.throttle };
    if (c.throttle.resourceUnits)
      next.throttle.resourceUnits = { ...current.throttle.resourceUnits, ...c.throttle.resourceUnits };
  }
  const parsed = GraphSandboxConfigSchema.parse(next);
  if (skuUnits) {
    for (const [key, units] of Object.entries(skuUnits)) {
      const sku = parsed.skus.find((s) => s.skuPartNumber === key || s.skuId === key);
      if (!sku)
        throw new z.ZodError([
          { code: 'custom', path: ['skuUnits', key], message: `unknown SKU ${key}`, input: key } as any,
        ]);
      sku.prepaidUnits = { ...sku.prepaidUnits, enabled: z.number().int().min(0).parse(units) };
    }
  }
  return parsed;
}
