// The deleted-items container (learn.microsoft.com/graph/api/resources/directory): deleted users stay
// restorable for 30 days. GET /directory/deletedItems/{id}, POST .../restore (also the pre-2023
// .../microsoft.graph.restore) → 200 + directoryObject, DELETE → 204 (permanent).
import { graphErrors } from './errors.js';
import type { Route } from './router.js';
import type { UserRecord } from './store.js';
import { projectUser } from './user-view.js';

const WRITE = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
const READ = ['User.Read.All', 'Directory.Read.All', ...WRITE];

// A directoryObject carries the derived type so clients can tell a user from a group.
const asDirectoryObject = (u: UserRecord) => ({
  '@odata.type': '#microsoft.graph.user',
  ...projectUser(u),
  deletedDateTime: u.deletedDateTime,
});

export const deletedItemRoutes: Route[] = [
  {
    method: 'GET',
    template: '/directory/deletedItems/microsoft.graph.user',
    patterns: ['/directory/deletedItems/microsoft.graph.user', '/directory/deletedItems/graph.user'],
    roles: READ,
    handle: ({ req, store }) => ({
      status: 200,
      body: {
        '@odata.context': `${req.base}/$metadata#users`,
        value: store.listDeleted().map((u) => ({ ...projectUser(u), deletedDateTime: u.deletedDateTime })),
      },
    }),
  },
  {
    method: 'GET',
    template: '/directory/deletedItems/{id}',
    patterns: ['/directory/deletedItems/{id}'],
    roles: READ,
    handle: ({ req, params, store }) => {
      const u = store.getDeleted(params.id);
      if (!u) throw graphErrors.notFound(params.id);
      return {
        status: 200,
        body: { '@odata.context': `${req.base}/$metadata#directory/deletedItems/$entity`, ...asDirectoryObject(u) },
      };
    },
  },
  {
    method: 'POST',
    template: '/directory/deletedItems/{id}/restore',
    patterns: ['/directory/deletedItems/{id}/restore', '/directory/deletedItems/{id}/microsoft.graph.restore'],
    roles: WRITE,
    handle: ({ req, params, store }) => {
      const u = store.restore(params.id);
      return {
        status: 200,
        body: { '@odata.context': `${req.base}/$metadata#directoryObjects/$entity`, ...asDirectoryObject(u) },
      };
    },
  },
  {
    method: 'DELETE',
    template: '/directory/deletedItems/{id}',
    patterns: ['/directory/deletedItems/{id}'],
    roles: WRITE,
    handle: ({ params, store }) => {
      store.purge(params.id);
      return { status: 204 };
    },
  },
];
