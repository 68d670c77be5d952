// An uploaded zip → the bytes of the files asked for, read with yauzl (a well-kept, streaming reader that
// checks each entry's real size against its header). Bounded against zip bombs: the number of entries, and
// the bytes the wanted files inflate to, both before inflating (the sizes the zip declares) and while
// inflating (the bytes that actually come out); an encrypted entry is refused. Files not wanted are only
// named, never inflated.
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import { ArchivoInvalido } from './lote-archivo.js';

export interface LimitesZip {
  maxEntradas: number;
  /** Bytes the wanted files may inflate to, together. */
  maxDescomprimido: number;
}

export interface ZipLeido {
  /** The wanted files found at the zip's root, by name. */
  archivos: Map<string, Buffer>;
  /** Every other entry's name (folders aside). */
  otros: string[];
}

export async function leerZip(
  contenido: Buffer,
  quiero: (nombre: string) => boolean,
  l: LimitesZip,
): Promise<ZipLeido> {
  const zip = await abrir(contenido);
  if (zip.entryCount > l.maxEntradas) {
    zip.close();
    throw new ArchivoInvalido(`el zip tiene ${zip.entryCount} entradas: se aceptan hasta ${l.maxEntradas}`);
  }
  const leido: ZipLeido = { archivos: new Map(), otros: [] };
  let total = 0;
  try {
    for (let entry = await siguiente(zip); entry; entry = await siguiente(zip)) {
      if (entry.fileName.endsWith('/')) continue;
      if (!quiero(entry.fileName)) {
        leido.otros.push(entry.fileName);
        continue;
      }
      if (leido.archivos.has(entry.fileName))
        throw new ArchivoInvalido(`${entry.fileName} está dos veces en el zip: ¿cuál vale?`);
      if (entry.isEncrypted()) throw new ArchivoInvalido(`${entry.fileName} está cifrado: subí un zip sin contraseña`);
      total += entry.uncompressedSize;
      if (total > l.maxDescomprimido) throw demasiado(l);
      leido.archivos.set(
        entry.fileName,
        await inflar(zip, entry, l.maxDescomprimido - (total - entry.uncompressedSize), l),
      );
    }
  } finally {
    zip.close();
  }
  return leido;
}

const demasiado = (l: LimitesZip) =>
  new ArchivoInvalido(
    `los archivos del zip descomprimidos pasan de ${l.maxDescomprimido} bytes: dividilo en varios lotes`,
  );

function abrir(contenido: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    fromBuffer(contenido, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) =>
      err ? reject(new ArchivoInvalido(`el archivo no es un zip legible: ${err.message}`)) : resolve(zip),
    ),
  );
}

function siguiente(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const limpiar = () => {
      zip.removeListener('entry', alEntrar);
      zip.removeListener('end', alTerminar);
      zip.removeListener('error', alFallar);
    };
    const alEntrar = (e: Entry) => {
      limpiar();
      resolve(e);
    };
    const alTerminar = () => {
      limpiar();
      resolve(null);
    };
    const alFallar = (err: Error) => {
      limpiar();
      reject(new ArchivoInvalido(`el zip está dañado: ${err.message}`));
    };
    zip.once('entry', alEntrar);
    zip.once('end', alTerminar);
    zip.once('error', alFallar);
    zip.readEntry();
  });
}

/** The entry's bytes, stopped as soon as more come out than `resta` allows (whatever its header said). */
function inflar(zip: ZipFile, entry: Entry, resta: number, l: LimitesZip): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(new ArchivoInvalido(`${entry.fileName} no se puede leer del zip: ${err.message}`));
      const partes: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (b: Buffer) => {
        bytes += b.length;
        if (bytes > resta) {
          stream.destroy();
          reject(demasiado(l));
        } else partes.push(b);
      });
      stream.on('error', (e) => reject(new ArchivoInvalido(`${entry.fileName} está dañado en el zip: ${e.message}`)));
      stream.on('end', () => resolve(Buffer.concat(partes)));
    });
  });
}
