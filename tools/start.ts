// `npm start`: the sandbox and the five services as separate processes on this machine's RabbitMQ and
// PostgreSQL, then (unless LUCY_DEMO=0) a pull of the sandbox's demo cohort, whose progress is printed
// until every student is onboarded. Logs: var/log/<process>.log. Ctrl-C stops everything.
import { startStack, type Stack } from './stack.js';

const demo = process.env.LUCY_DEMO !== '0';
const useSandbox = process.env.LUCY_SANDBOX !== '0';

function banner(stack: Stack): void {
  const u = stack.urls;
  console.log(`
Lucy is running.
  dashboard           ${u.gateway}/                 (sign in with the admin token)
  admin token         ${stack.adminToken}
                      (var/secrets/admin.token; for the API: Authorization: Bearer <token>)
  gateway API         ${u.gateway}/api/v1          (docs: ${u.gateway}/docs, health: ${u.gateway}/health/ready)
  services            ingest ${u['ingest-service']}  teams ${u['teams-service']}  moodle ${u['moodle-service']}  mail ${u['mail-service']}
${
  useSandbox
    ? `  sandbox admin       ${u.sandboxAdmin}/_admin/health
  sandbox inbox       ${u.mailbox}/api/v1/messages   (the emails Lucy sent; SMTP itself on port ${u.smtpPort})
  sandbox Graph users ${u.sandboxAdmin}/_admin/graph/users
`
    : ''
}  logs                var/log/<process>.log
`);
}

/** What GET /api/v1/lotes/:id answers, as far as these lines use it. */
interface Progreso {
  estado: string;
  porcentaje: number;
  total: number;
  completados: number;
  conAvisos: number;
  fallidos: number;
  enCurso: number;
  pendientes: number;
  error: string | null;
  ingesta: { nuevos: number; actualizados: number; sinCambios: number; invalidos?: unknown[] } | null;
}

async function followDemo(stack: Stack): Promise<void> {
  const gw = stack.urls.gateway;
  const auth = { authorization: `Bearer ${stack.adminToken}` };
  const res = await fetch(`${gw}/api/v1/sync/sial`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) return void console.error(`demo pull refused: ${res.status} ${await res.text()}`);
  const { loteId } = (await res.json()) as { loteId: string };
  console.log(
    `Demo cohort requested from SIAL: lote ${loteId}\n  follow it: curl -H "Authorization: Bearer $(cat var/secrets/admin.token)" ${gw}/api/v1/lotes/${loteId}\n`,
  );
  let last = '';
  let p: Progreso;
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const body = (await fetch(`${gw}/api/v1/lotes/${loteId}`, { headers: auth })
      .then((r) => r.json())
      .catch(() => null)) as Progreso | null;
    if (typeof body?.estado !== 'string') continue; // not answering yet, or a problem+json: ask again
    p = body;
    const line = `lote ${p.estado}: ${p.porcentaje}% — ${p.completados} completados, ${p.conAvisos} con avisos, ${p.fallidos} fallidos, ${p.enCurso} en curso, ${p.pendientes} pendientes de ${p.total}`;
    if (line !== last) console.log(line);
    last = line;
    if (p.estado === 'terminado' || p.estado === 'fallido') break;
  }
  const i = p.ingesta;
  const filas = i
    ? `SIAL gave ${i.nuevos} new students, ${i.actualizados} updated, ${i.sinCambios} unchanged and ${i.invalidos?.length ?? 0} invalid rows (each with its reason on the lote's card).`
    : '';
  if (p.estado === 'fallido') {
    return void console.log(
      `\nThe demo lote failed: ${p.error ?? 'see var/log/ingest-service.log'}\n  dashboard   ${gw}/#/lotes\n`,
    );
  }
  if (p.total === 0) {
    // Started again on the same database, SIAL has nothing new: the lote is done with nobody to onboard.
    const olvido = stack.urls.mailbox
      ? `; the sandbox, started afresh,\nhas forgotten their accounts, courses and emails (README.md, "Starting again, or from zero")`
      : '';
    return void console.log(`
Done: the lote had no student to onboard.
${filas}
The students of earlier runs are still in Lucy's database (${gw}/#/alumnos)${olvido}.
  dashboard   ${gw}/#/lotes
`);
  }
  const alumnoId = await fetch(`${gw}/api/v1/alumnos?loteId=${loteId}&limit=1`, { headers: auth })
    .then((r) => r.json() as Promise<{ items?: { alumnoId: string }[] }>)
    .then((b) => b.items?.[0]?.alumnoId ?? '<alumnoId>')
    .catch(() => '<alumnoId>');
  console.log(`
Done. ${filas}
Open the lote and one of its students:
  dashboard   ${gw}/#/lotes   and   ${gw}/#/alumnos/${alumnoId}
  API         curl -H "Authorization: Bearer $(cat var/secrets/admin.token)" ${gw}/api/v1/alumnos/${alumnoId}
  the emails  ${stack.urls.mailbox ?? '(no sandbox: your SMTP relay)'}${stack.urls.mailbox ? '/api/v1/messages' : ''}
`);
}

const stack = await startStack({ sandbox: useSandbox, echo: process.env.LUCY_ECHO_LOGS === '1' }).catch(
  (err: Error) => {
    console.error(`Lucy could not start: ${err.message}`);
    console.error(
      'Are RabbitMQ (127.0.0.1:5672) and PostgreSQL (127.0.0.1:5432) running? See README.md, "Prerequisites".',
    );
    process.exit(1);
  },
);
banner(stack);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping Lucy…');
    void stack.stop().then(() => process.exit(0));
  });
}
for (const p of stack.processes.values()) {
  p.child.once('exit', (code, sig) => {
    if (!stopping) console.error(`${p.name} exited (${code ?? sig}); see ${p.logFile}`);
  });
}
if (demo) await followDemo(stack).catch((err: Error) => console.error(`demo: ${err.message}`));
