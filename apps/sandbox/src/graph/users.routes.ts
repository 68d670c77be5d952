// /users: create, read (by id or userPrincipalName), list with $filter/$select/$top/$count, update, delete.
// Status codes per the v1.0 reference pages: POST 201 + user, GET 200, PATCH 204, DELETE 204
// (learn.microsoft.com/graph/api/user-post-users, user-get, user-list, user-update, user-delete).
import { GraphError, graphErrors } from './errors.js';
import { decodeSkipToken, encodeSkipToken, parseFilter, parseOrderBy, parseSelect, parseTop } from './odata.js';
import type { Route, RouteContext } from './router.js';
import { lazyUserProperties, projectUser, selectSuffix } from './user-view.js';
import { validateUserBody } from './user-rules.js';

const READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const WRITE = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];

export const userRoutes: Route[] = [
  {
    method: 'POST',
    template: '/users',
    patterns: ['/users'],
    roles: WRITE,
    handle: ({ req, store }) => {
      let props: Record<string, unknown>;
      try {
        props = validateUserBody(req.body, 'create', store.verifiedDomains);
        rejectByPolicy(props, store.config.rejectedUserPrincipalNames);
      } catch (e) {
        if (e instanceof GraphError) store.noteInvalidCreate();
        throw e;
      }
      const u = store.createUser(props);
      const tid = store.config.tenantId;
      return {
        status: 201,
        // The live service points Location at the directory's internal URL, not at /users/{id}.
        headers: {
          Location: `${new URL(req.base).origin}/v2/${tid}/directoryObjects/${u.id}/Microsoft.DirectoryServices.User`,
        },
        body: { '@odata.context': `${req.base}/$metadata#users/$entity`, ...projectUser(u) },
      };
    },
  },
  {
    method: 'GET',
    template: '/users',
    patterns: ['/users'],
    roles: READ,
    handle: listUsers,
  },
  {
    method: 'GET',
    template: '/users/$count',
    patterns: ['/users/$count'],
    roles: READ,
    handle: ({ req, store }) => {
      if (req.headers.consistencylevel?.toLowerCase() !== 'eventual') throw graphErrors.countNeedsEventual();
      return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: String(store.listUsers().length) };
    },
  },
  {
    method: 'GET',
    template: '/users/{id}',
    patterns: ['/users/{id}'],
    roles: READ,
    handle: ({ req, params, store }) => {
      const select = parseSelect(req.query.get('$select'));
      const u = store.getUser(params.id);
      if (!u) throw graphErrors.notFound(params.id);
      return {
        status: 200,
        body: {
          '@odata.context': `${req.base}/$metadata#users${selectSuffix(select)}/$entity`,
          ...projectUser(u, select),
        },
      };
    },
  },
  {
    method: 'PATCH',
    template: '/users/{id}',
    patterns: ['/users/{id}'],
    roles: WRITE,
    handle: ({ req, params, store }) => {
      const u = store.getUser(params.id);
      if (!u) throw graphErrors.notFound(params.id);
      store.updateUser(u.id, validateUserBody(req.body, 'update', store.verifiedDomains));
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    template: '/users/{id}',
    patterns: ['/users/{id}'],
    roles: WRITE,
    handle: ({ params, store }) => {
      const u = store.getUser(params.id);
      if (!u) throw graphErrors.notFound(params.id);
      store.deleteUser(u.id);
      return { status: 204 };
    },
  },
];

function listUsers({ req, store }: RouteContext) {
  const q = req.query;
  const eventual = req.headers.consistencylevel?.toLowerCase() === 'eventual';
  if (q.has('$skip')) throw graphErrors.skipUnsupported();
  const count = q.get('$count');
  if (count !== null && count !== 'true' && count !== 'false') throw graphErrors.badFilter(`$count=${count}`);
  if (count === 'true' && !eventual) throw graphErrors.countNeedsEventual();
  const select = parseSelect(q.get('$select'));
  const filter = q.has('$filter') ? parseFilter(q.get('$filter')!, { eventual }) : undefined;
  const order = parseOrderBy(q.get('$orderby'));
  const top = parseTop(q.get('$top'), store.config.defaultPageSize, store.config.maxPageSize);
  const offset = decodeSkipToken(q.get('$skiptoken'));

  const indexed = filter?.equals && store.activeUsersWith(filter.equals.property, filter.equals.values);
  let rows = (indexed ?? store.listUsers()).map((u) => ({ u, p: lazyUserProperties(u) }));
  if (filter) rows = rows.filter((r) => filter(r.p));
  if (order) rows.sort((a, b) => order(a.p, b.p));
  const page = rows.slice(offset, offset + top);

  const body: Record<string, unknown> = { '@odata.context': `${req.base}/$metadata#users${selectSuffix(select)}` };
  if (count === 'true') body['@odata.count'] = rows.length;
  if (offset + top < rows.length) {
    const next = new URLSearchParams(q);
    next.delete('$skiptoken');
    next.set('$skiptoken', encodeSkipToken(offset + top));
    body['@odata.nextLink'] = `${req.base}/users?${next.toString().replace(/%24/g, '$').replace(/%2C/g, ',')}`;
  }
  body.value = page.map((r) => projectUser(r.u, select));
  return { status: 200, body };
}

/**
 * A fault knob for one student: the tenant refuses these UPNs as a directory policy would (a reserved
 * or blocked name), with the 400 Graph gives for an invalid property value — a permanent error.
 */
function rejectByPolicy(props: Record<string, unknown>, rejected: readonly string[]): void {
  const upn = String(props.userPrincipalName ?? '').toLowerCase();
  if (!rejected.some((r) => r.toLowerCase() === upn)) return;
  throw new GraphError(
    400,
    'Request_BadRequest',
    "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
    [
      {
        code: 'InvalidValue',
        message: "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
        target: 'userPrincipalName',
      },
    ],
  );
}
