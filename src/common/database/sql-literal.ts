/**
 * SQL literals for the bulk INSERTs of a route table (a full table is a million rows): the VALUES
 * text is built here in one pass instead of by the driver's generic `?` formatting, which was the
 * largest single cost in BRM's process (7 µs a row, more than applying the route).
 *
 * Strings are written so that they mean the same with and without NO_BACKSLASH_ESCAPES in the
 * server's sql_mode: plain text as it is in quotes (JSON text, which has double quotes everywhere
 * and rarely anything else, is copied unchanged), a quote doubled, and text with a backslash, NUL
 * or Ctrl-Z as a utf8mb4 hex literal.
 */
export type SqlValue = string | number | bigint | boolean | null;

// NUL and Ctrl-Z are exactly what these must find.
// eslint-disable-next-line no-control-regex
const NEEDS_CARE = /['\\\0\x1a]/;
// eslint-disable-next-line no-control-regex
const NEEDS_HEX = /[\\\0\x1a]/;
const QUOTES = /'/g;

export function sqlLiteral(value: SqlValue): string {
  if (typeof value === 'string') {
    if (!NEEDS_CARE.test(value)) return `'${value}'`;
    return NEEDS_HEX.test(value) ? `_utf8mb4 X'${Buffer.from(value, 'utf8').toString('hex')}'` : `'${value.replace(QUOTES, "''")}'`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} has no SQL literal`);
    return String(value);
  }
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value === null) return 'NULL';
  throw new Error(`a ${typeof value} has no SQL literal`);
}

/** `(a,b,c),(d,e,f)`: the VALUES list of a multi-row INSERT. */
export function sqlRows(rows: readonly (readonly SqlValue[])[]): string {
  let text = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    text += r === 0 ? '(' : ',(';
    for (let c = 0; c < row.length; c++) text += c === 0 ? sqlLiteral(row[c]!) : `,${sqlLiteral(row[c]!)}`;
    text += ')';
  }
  return text;
}
