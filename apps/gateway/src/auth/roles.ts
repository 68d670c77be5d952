// Who may do what. admin ⊃ operator ⊃ viewer: an operator may do what a viewer does, and more.
import { SetMetadata } from '@nestjs/common';
import { z } from 'zod';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const Role = z.enum(ROLES, { error: 'debe ser admin, operator o viewer' });
export type Role = z.infer<typeof Role>;

export const ROLES_METADATA = 'lucy:rol';
export const PUBLIC_METADATA = 'lucy:public';

/** The least role a route needs. Routes without it: GET needs viewer, anything else admin (fail closed). */
export const RequiresRole = (rol: Role) => SetMetadata(ROLES_METADATA, rol);

/** A route under /api that needs no token (the dashboard's sign-in page asks nothing else of it). */
export const PublicRoute = () => SetMetadata(PUBLIC_METADATA, true);

export const roleReaches = (tiene: Role, necesita: Role) => ROLES.indexOf(tiene) >= ROLES.indexOf(necesita);

export interface Identity {
  tokenId: string;
  /** The token's name: the actor in the audit trail. */
  nombre: string;
  rol: Role;
}
