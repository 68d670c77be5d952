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
${useSandbox ? `  sandbox admin       ${u.sandboxAdmin}/_admin/health
  sandbox inbox       ${u.mailbox}/api/v1/messages   (the emails Lucy sent; SMTP itself on port ${u.smtpPort})
  sandbox Graph users ${u.sandboxAdmin}/_admin/graph/users
` : ''}  logs                var/log/<process>.log
`);
}

async function followDemo(stack: Stack): Promise<void> {
  const auth = { authorization: `Bearer ${stack.adminToken}` };
  const res = await fetch(`${stack.urls.gateway}/api/v1/sync/sial`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
  if (!res.ok) return void console.error(`demo pull refused: ${res.status} ${await res.text()}`);
  const { loteId } = (await res.json()) as { loteId: string };
  console.log(`Demo cohort requested from SIAL: lote ${loteId}\n  follow it: curl -H "Authorization: Bearer $(cat var/secrets/admin.token)" ${stack.urls.gateway}/api/v1/lotes/${loteId}\n`);
  let last = '';
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const p = (await fetch(`${stack.urls.gateway}/api/v1/lotes/${loteId}`, { headers: auth }).then((r) => r.json()).catch(() => null)) as Record<string, number | string> | null;
    if (!p) continue;
    const line = `lote ${p.estado}: ${p.porcentaje}% — ${p.completados} completados, ${p.conAvisos} con avisos, ${p.fallidos} fallidos, ${p.enCurso} en curso, ${p.pendientes} pendientes de ${p.total}`;
    if (line !== last) console.log(line);
    last = line;
    if (p.estado === 'terminado' || p.estado === 'fallido') break;
  }
  // A pull in which nothing changed (Lucy started again on the same database) has no student of its own.
  const primero = (consulta: string) =>
    fetch(`${stack.urls.gateway}/api/v1/alumnos?${consulta}limit=1`, { headers: auth })
      .then((r) => r.json() as Promise<{ items?: { alumnoId: string }[] }>)
      .then((b) => b.items?.[0]?.alumnoId)
      .catch(() => undefined);
  const alumnoId = (await primero(`loteId=${loteId}&`)) ?? (await primero('')) ?? '<alumnoId>';
  console.log(`
Done. Open the lote and one of its students:
  dashboard   ${stack.urls.gateway}/#/lotes   and   ${stack.urls.gateway}/#/alumnos/${alumnoId}
  API         curl -H "Authorization: Bearer $(cat var/secrets/admin.token)" ${stack.urls.gateway}/api/v1/alumnos/${alumnoId}
  the emails  ${stack.urls.mailbox}/api/v1/messages
`);
}

const stack = await startStack({ sandbox: useSandbox, echo: process.env.LUCY_ECHO_LOGS === '1' }).catch((err: Error) => {
  console.error(`Lucy could not start: ${err.message}`);
  console.error('Are RabbitMQ (127.0.0.1:5672) and PostgreSQL (127.0.0.1:5432) running? See README.md, "Prerequisites".');
  process.exit(1);
});
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
