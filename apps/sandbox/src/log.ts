// JSON-lines logging for the sandbox process: one object per line on stdout, easy to grep and to
// ship. Never log request parameters of the stand-ins: they carry passwords (Moodle create_users,
// SMTP bodies with credentials). LOG_LEVEL (default info) drops the lines below it, as the services do:
// a line per Moodle call is a write to a pipe per call under a benchmark's load.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The lowest level written: LOG_LEVEL's, or info. pino's names above error (fatal) keep errors; silent none. */
export function minLevel(raw = process.env.LOG_LEVEL): number {
  const v = (raw ?? '').toLowerCase();
  if (v === 'trace' || v === 'debug') return RANK.debug;
  if (v === 'warn' || v === 'error') return RANK[v];
  if (v === 'fatal') return RANK.error;
  if (v === 'silent') return Infinity;
  return RANK.info;
}

export function jsonLogger(
  component = 'sandbox',
  write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  level = minLevel(),
): Logger {
  return (lvl, msg, fields = {}) => {
    if (RANK[lvl] < level) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, component, msg, ...fields }));
  };
}

export const silentLogger: Logger = () => {};
