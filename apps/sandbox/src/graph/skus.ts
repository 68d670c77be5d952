// The tenant's subscriptions, as GET /subscribedSkus lists them. Ids and part numbers are Microsoft's
// (learn.microsoft.com/entra/identity/users/licensing-service-plan-reference): Office 365 A1 for students
// and for faculty, and Microsoft 365 A1.
import { z } from 'zod';

export const ServicePlanSchema = z.object({
  servicePlanId: z.string().uuid(),
  servicePlanName: z.string(),
  provisioningStatus: z.string().default('Success'),
  appliesTo: z.string().default('User'),
});

export const SkuSchema = z.object({
  skuId: z.string().uuid(),
  skuPartNumber: z.string(),
  appliesTo: z.string().default('User'),
  capabilityStatus: z.enum(['Enabled', 'Warning', 'Suspended', 'Deleted', 'LockedOut']).default('Enabled'),
  prepaidUnits: z
    .object({
      enabled: z.number().int().min(0),
      suspended: z.number().int().min(0).default(0),
      warning: z.number().int().min(0).default(0),
      lockedOut: z.number().int().min(0).default(0),
    })
    .strict(),
  servicePlans: z.array(ServicePlanSchema).default([]),
});
export type Sku = z.infer<typeof SkuSchema>;

const plan = (servicePlanId: string, servicePlanName: string) => ({
  servicePlanId,
  servicePlanName,
  provisioningStatus: 'Success',
  appliesTo: 'User',
});

export const DEFAULT_SKUS: Sku[] = [
  {
    skuId: '314c4481-f395-4525-be8b-2ec4bb1e9d91',
    skuPartNumber: 'STANDARDWOFFPACK_STUDENT',
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    prepaidUnits: { enabled: 1_000_000, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: [
      plan('9aaf7827-d63c-4b61-89c3-182f06f82e5c', 'EXCHANGE_S_STANDARD'),
      plan('57ff2da0-773e-42df-b2af-ffb7a2317929', 'TEAMS1'),
      plan('0a4983bb-d3e5-4a09-95d8-b2d0127b3df5', 'SHAREPOINTSTANDARD_EDU'),
      plan('e95bec33-7c88-4a70-8e19-b10bd9d0c014', 'SHAREPOINTWAC_EDU'),
    ],
  },
  {
    skuId: '94763226-9b3c-4e75-a931-5c89701abe66',
    skuPartNumber: 'STANDARDWOFFPACK_FACULTY',
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    prepaidUnits: { enabled: 500_000, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: [
      plan('9aaf7827-d63c-4b61-89c3-182f06f82e5c', 'EXCHANGE_S_STANDARD'),
      plan('57ff2da0-773e-42df-b2af-ffb7a2317929', 'TEAMS1'),
    ],
  },
  {
    skuId: 'b17653a4-2443-4e8c-a550-18249dda78bb',
    skuPartNumber: 'M365EDU_A1',
    appliesTo: 'User',
    capabilityStatus: 'Enabled',
    prepaidUnits: { enabled: 100, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: [plan('b1188c4c-1b36-4018-b48b-ee07604f6feb', 'INTUNE_EDU')],
  },
];
