// Every Graph v1.0 operation the stand-in serves.
import { deletedItemRoutes } from './deleted-items.routes.js';
import { licenseRoutes } from './licenses.routes.js';
import type { Route } from './router.js';
import { userRoutes } from './users.routes.js';

export const graphRoutes: Route[] = [...userRoutes, ...licenseRoutes, ...deletedItemRoutes];
