import type { EntityManager } from 'typeorm';

/** A table of this service's schema, quoted for raw SQL (the schema is DB_SCHEMA, or a test's). */
export function qualifiedTable(m: EntityManager, name: string): string {
  const schema = (m.connection.options as { schema?: string }).schema ?? 'public';
  return `"${schema.replaceAll('"', '""')}"."${name}"`;
}
