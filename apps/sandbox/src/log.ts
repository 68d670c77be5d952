// JSON-lines logging for the sandbox process: one object per line on stdout, easy to grep and to
// ship. Never log request parameters of the stand-ins: they carry passwords (Moodle create_users,
// SMTP bodies with credentials).
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

export function jsonLogger(
  component = 'sandbox',
  write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): Logger {
  return (level, msg, fields = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, component, msg, ...fields }));
}

export const silentLogger: Logger = () => {};
