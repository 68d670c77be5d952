// /_admin/sial: the cohort's settings (size, seed, year, pagination, credentials), "advance" to make the
// next pull differ from the last, the pull counters, a peek at the lists, and the edits that play a
// year between pulls (sial.edits.ts): change a record, mark a student leaving (estado baja/egresado),
// take a record off its list, add one (back). Bad input is a 400 with a message naming the field.
import express, { type Request, type Response } from 'express';
import { validated } from '../admin/validate.js';
import { AltaRegistro, CambioRegistro, DniParam, ESTADO_DE_LISTA, ListaParam } from './sial.edits.js';
import { SIAL_LISTS, type SialList, type SialRecord } from './sial.generator.js';
import { SialConfigSchema, type SialConfig, type SialStore } from './sial.store.js';

/** The path's DNI and the optional ?lista=, or a 400 already sent (undefined). */
function donde(req: Request, res: Response): { dni: string; lista?: SialList } | undefined {
  const dni = DniParam.safeParse(req.params.dni);
  if (!dni.success) return void res.status(400).json({ message: `dni: ${dni.error.issues[0]!.message}` });
  if (req.query.lista === undefined) return { dni: dni.data };
  const lista = ListaParam.safeParse(req.query.lista);
  if (!lista.success) return void res.status(400).json({ message: `lista: ${lista.error.issues[0]!.message}` });
  return { dni: dni.data, lista: lista.data };
}

const noListado = (res: Response, dni: string, lista?: SialList) =>
  res.status(404).json({ message: `DNI ${dni} is not listed${lista ? ` in ${lista}` : ''}` });

/** What a record needs when no removed record of its DNI gives it. */
const REQUERIDOS = ['apellido', 'nombre', 'carrera'] as const;

export function sialAdminRouter(store: SialStore, initial: Partial<SialConfig>): express.Router {
  const r = express.Router();
  r.use(express.json());
  const view = () => ({
    ...store.config,
    password: '***',
    pulls: store.pulls,
    counts: Object.fromEntries(SIAL_LISTS.map((l) => [l, store.cohort()[l].length])),
  });
  r.get('/config', (_req, res) => res.json(view()));
  r.put(
    '/config',
    validated(SialConfigSchema.partial(), (body, _req, res) => {
      store.update(Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
      res.json(view());
    }),
  );
  r.post('/advance', (_req, res) => res.json({ revision: store.advance() }));
  r.post('/reset', (_req, res) => {
    store.reset(initial);
    res.json(view());
  });
  r.get('/records/:list', (req, res) => {
    const list = req.params.list as (typeof SIAL_LISTS)[number];
    if (!SIAL_LISTS.includes(list))
      return res.status(404).json({ message: `unknown list; one of ${SIAL_LISTS.join(', ')}` });
    res.json(store.cohort()[list]);
  });

  // Change a listed record's fields (every record of the DNI, or the one in ?lista=): `estado` baja or
  // egresado marks the student leaving, back to their list's estado marks them active again; `lista`
  // moves the record to another list.
  r.patch(
    '/records/:dni',
    validated(CambioRegistro, (cambios, req, res) => {
      const d = donde(req, res);
      if (!d) return;
      if (store.buscar(d.dni, d.lista).length === 0) return noListado(res, d.dni, d.lista);
      store.editar({ kind: 'patch', ...d, cambios });
      res.json({ records: store.buscar(d.dni) });
    }),
  );

  // Take a DNI's records off their lists (or off ?lista=): SIAL no longer lists the student.
  r.delete('/records/:dni', (req, res) => {
    const d = donde(req, res);
    if (!d) return;
    const removed = store.buscar(d.dni, d.lista);
    if (removed.length === 0) return noListado(res, d.dni, d.lista);
    store.editar({ kind: 'remove', ...d });
    res.json({ removed });
  });

  // Add a record to a list: a DNI taken off before comes back as it was, with the fields given changed;
  // any other needs apellido, nombre and carrera. Its estado is its list's unless given.
  r.post(
    '/records',
    validated(AltaRegistro, ({ lista, dni: tal, ...campos }, _req, res) => {
      const dni = DniParam.safeParse(tal);
      if (!dni.success) return res.status(400).json({ message: `dni: ${dni.error.issues[0]!.message}` });
      if (store.buscar(dni.data, lista).length > 0)
        return res.status(409).json({ message: `DNI ${dni.data} is already listed in ${lista}` });
      const base = store.removido(dni.data);
      const faltan = REQUERIDOS.filter((c) => (campos[c] ?? base?.[c]) === undefined);
      if (faltan.length)
        return res.status(400).json({
          message: `${faltan.map((c) => `${c}: required`).join('; ')} (no record of DNI ${dni.data} was removed to add back)`,
        });
      const { year } = store.config;
      const record: Omit<SialRecord, 'id'> = {
        email_personal: null,
        email_institucional: null,
        legajo: null,
        fecha_nacimiento: `${year - 18}-01-01`,
        periodo: String(year),
        anio_ingreso: year,
        sede: 'Río Cuarto',
        ...base,
        ...(campos as Pick<SialRecord, (typeof REQUERIDOS)[number]>),
        dni: base?.dni ?? tal,
        estado: campos.estado ?? ESTADO_DE_LISTA[lista],
      };
      store.editar({ kind: 'add', lista, record });
      res.status(201).json({ lista, record: store.buscar(dni.data, lista).at(-1)!.record });
    }),
  );
  return r;
}
