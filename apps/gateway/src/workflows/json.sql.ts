// SQL that builds an API answer's nested parts in the database (json_agg), so a page is one round trip.

/**
 * A timestamptz as the text JSON.stringify gives its Date (toISOString: UTC, milliseconds truncated as
 * node-postgres truncates them): an answer built in SQL reads exactly as one built from rows.
 */
export const isoSql = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
