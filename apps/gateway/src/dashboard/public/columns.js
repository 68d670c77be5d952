// The columns of a file the user is about to upload, read in the browser to offer the column mapping.
// The gateway reads the file again and is the one that decides; this only has to agree on the header:
// delimiter , ; or tab (the most frequent outside quotes, as the gateway picks it), BOM skipped.

export const CAMPOS = [
  ['dni', 'DNI', ['dni', 'documento', 'nrodocumento']],
  ['nombre', 'Nombre', ['nombre', 'nombres']],
  ['apellido', 'Apellido', ['apellido', 'apellidos']],
  ['emailPersonal', 'Email personal', ['emailpersonal', 'email', 'correo', 'correopersonal']],
  ['emailInstitucional', 'Email institucional', ['emailinstitucional', 'correoinstitucional']],
  ['carrera', 'Carrera', ['carrera']],
  ['estado', 'Estado (aspirante, preinscripto, ingresante)', ['estado']],
  ['periodo', 'Periodo', ['periodo']],
];

export const clave = (k) =>
  k
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

export function columnasDe(nombre, texto) {
  texto = texto.replace(/^\uFEFF/, '');
  if (/\.json$/i.test(nombre)) {
    const filas = JSON.parse(texto);
    if (!Array.isArray(filas) || !filas.length || typeof filas[0] !== 'object')
      throw new Error('el JSON debe ser un arreglo de filas {columna: valor}');
    return [...new Set(filas.slice(0, 50).flatMap((f) => Object.keys(f ?? {})))];
  }
  const primera = texto.slice(0, texto.search(/\r?\n|$/));
  const sinComillas = primera.replace(/"[^"]*"/g, '');
  const delim = [',', ';', '\t'].reduce(
    (mejor, c) => (sinComillas.split(c).length > sinComillas.split(mejor).length ? c : mejor),
    ',',
  );
  const columnas = [];
  let actual = '';
  let comillas = false;
  for (let i = 0; i < primera.length; i++) {
    const ch = primera[i];
    if (ch === '"') {
      if (comillas && primera[i + 1] === '"') {
        actual += '"';
        i++;
      } else comillas = !comillas;
    } else if (ch === delim && !comillas) {
      columnas.push(actual.trim());
      actual = '';
    } else actual += ch;
  }
  columnas.push(actual.trim());
  return columnas.filter(Boolean);
}

/** The column that already answers to a field by its name (as ingest-service matches them), if any. */
export const columnaPorDefecto = (alias, columnas) => columnas.find((c) => alias.includes(clave(c))) ?? '';
