// Licences: POST /users/{id}/assignLicense (also the pre-2023 path .../microsoft.graph.assignLicense)
// → 200 + user (learn.microsoft.com/graph/api/user-assignlicense), and GET /subscribedSkus
// (learn.microsoft.com/graph/api/subscribedsku-list).
import { graphErrors } from './errors.js';
import { parseSelect } from './odata.js';
import type { Route } from './router.js';
import type { AssignedLicense, SkuView } from './store.js';
import { projectUser } from './user-view.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SKU_PROPS = [
  'id',
  'appliesTo',
  'capabilityStatus',
  'consumedUnits',
  'prepaidUnits',
  'servicePlans',
  'skuId',
  'skuPartNumber',
];
const canonicalSku = (p: string) => SKU_PROPS.find((k) => k.toLowerCase() === p.toLowerCase());

function skuView(s: SkuView, select?: string[]): Record<string, unknown> {
  const full: Record<string, unknown> = {
    capabilityStatus: s.capabilityStatus,
    consumedUnits: s.consumedUnits,
    id: s.id,
    skuId: s.skuId,
    skuPartNumber: s.skuPartNumber,
    appliesTo: s.appliesTo,
    prepaidUnits: s.prepaidUnits,
    servicePlans: s.servicePlans,
  };
  return select ? Object.fromEntries(select.map((k) => [k, full[k]])) : full;
}

function parseAssignBody(body: unknown): { add: AssignedLicense[]; remove: string[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw graphErrors.badJson();
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b))
    if (k !== 'addLicenses' && k !== 'removeLicenses' && !k.startsWith('@odata.'))
      throw graphErrors.missingParameter(k);
  // Both parameters are non-nullable collections of the action; an empty array is how you say "none".
  if (!Array.isArray(b.addLicenses)) throw graphErrors.missingParameter('addLicenses');
  if (!Array.isArray(b.removeLicenses)) throw graphErrors.missingParameter('removeLicenses');
  const add = b.addLicenses.map((l: any) => {
    if (!l || typeof l !== 'object' || typeof l.skuId !== 'string' || !GUID.test(l.skuId)) throw graphErrors.badJson();
    const disabled = l.disabledPlans ?? [];
    if (!Array.isArray(disabled) || disabled.some((d: unknown) => typeof d !== 'string' || !GUID.test(d)))
      throw graphErrors.badJson();
    return { skuId: l.skuId, disabledPlans: disabled };
  });
  const remove = b.removeLicenses.map((r: unknown) => {
    if (typeof r !== 'string' || !GUID.test(r)) throw graphErrors.badJson();
    return r;
  });
  return { add, remove };
}

export const licenseRoutes: Route[] = [
  {
    method: 'POST',
    template: '/users/{id}/assignLicense',
    patterns: ['/users/{id}/assignLicense', '/users/{id}/microsoft.graph.assignLicense'],
    roles: ['User.ReadWrite.All', 'Directory.ReadWrite.All', 'LicenseAssignment.ReadWrite.All'],
    handle: ({ req, params, store }) => {
      const u = store.getUser(params.id);
      if (!u) throw graphErrors.notFound(params.id);
      const { add, remove } = parseAssignBody(req.body);
      const updated = store.assignLicense(u.id, add, remove);
      return {
        status: 200,
        body: { '@odata.context': `${req.base}/$metadata#users/$entity`, ...projectUser(updated) },
      };
    },
  },
  {
    method: 'GET',
    template: '/subscribedSkus',
    patterns: ['/subscribedSkus'],
    roles: ['Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'LicenseAssignment.Read.All'],
    handle: ({ req, store }) => {
      const select = parseSelect(req.query.get('$select'), canonicalSku, 'microsoft.graph.subscribedSku');
      return {
        status: 200,
        body: {
          '@odata.context': `${req.base}/$metadata#subscribedSkus${select ? `(${select.join(',')})` : ''}`,
          value: store.skus().map((s) => skuView(s, select)),
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/subscribedSkus/{id}',
    patterns: ['/subscribedSkus/{id}'],
    roles: ['Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'LicenseAssignment.Read.All'],
    handle: ({ req, params, store }) => {
      const sku = store.skus().find((s) => s.id.toLowerCase() === params.id.toLowerCase());
      if (!sku) throw graphErrors.notFound(params.id);
      return {
        status: 200,
        body: { '@odata.context': `${req.base}/$metadata#subscribedSkus/$entity`, ...skuView(sku) },
      };
    },
  },
];
