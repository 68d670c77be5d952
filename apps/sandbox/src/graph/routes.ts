// Every Graph v1.0 operation the stand-in serves. users/delta comes before /users/{id}, which would
// otherwise take "delta" for a user's key.
import { deletedItemRoutes } from './deleted-items.routes.js';
import { deltaRoutes } from './delta.routes.js';
import { licenseRoutes } from './licenses.routes.js';
import type { Route } from './router.js';
import { userRoutes } from './users.routes.js';

export const graphRoutes: Route[] = [...deltaRoutes, ...userRoutes, ...licenseRoutes, ...deletedItemRoutes];
