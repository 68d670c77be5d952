// Zips made and read in tests from their files' text, so tests build the archives they upload instead of
// keeping binaries: written with yazl (deflated, UTF-8 names, entries in the order given — a name may
// repeat, to make a zip that holds a file twice), read back with yauzl. `declarar` makes a zip that lies
// about an entry's uncompressed size (a bomb): no writer does that, so its headers are patched afterwards.
import { buffer } from 'node:stream/consumers';
import { fromBuffer, type Entry, type ZipFile as ZipLeido } from 'yauzl';
import { ZipFile } from 'yazl';

export interface EntradaZip {
  nombre: string;
  contenido: string | Buffer;
  declarar?: number;
}

/** A fixed date: the same entries make the same bytes. */
const FECHA = new Date('2027-01-01T00:00:00Z');

export async function zipDe(entradas: readonly EntradaZip[] | Record<string, string | Buffer>): Promise<Buffer> {
  const lista: readonly EntradaZip[] = Array.isArray(entradas)
    ? entradas
    : Object.entries(entradas).map(([nombre, contenido]) => ({ nombre, contenido }));
  const zip = new ZipFile();
  for (const e of lista)
    zip.addBuffer(Buffer.isBuffer(e.contenido) ? e.contenido : Buffer.from(e.contenido, 'utf8'), e.nombre, {
      mtime: FECHA,
    });
  zip.end();
  const bytes = await buffer(zip.outputStream);
  lista.forEach((e, i) => e.declarar !== undefined && declarar(bytes, i, e.declarar));
  return bytes;
}

/**
 * Writes `tamano` as the i-th entry's uncompressed size in its central directory record and its local
 * header (PKWARE APPNOTE 6.3.x 4.3.7, 4.3.12; yazl writes no zip64 record and no comment for small zips).
 */
function declarar(zip: Buffer, i: number, tamano: number): void {
  const fin = zip.length - 22;
  if (zip.readUInt32LE(fin) !== 0x06054b50) throw new Error('zipDe: no end of central directory record');
  let central = zip.readUInt32LE(fin + 16);
  for (let n = 0; n < i; n++)
    central += 46 + zip.readUInt16LE(central + 28) + zip.readUInt16LE(central + 30) + zip.readUInt16LE(central + 32);
  zip.writeUInt32LE(tamano, central + 24);
  zip.writeUInt32LE(tamano, zip.readUInt32LE(central + 42) + 22);
}

/** A zip's entries in the order they are stored, each with its text (UTF-8). */
export async function entradasDelZip(zip: Buffer): Promise<{ nombre: string; texto: string }[]> {
  const archivo = await new Promise<ZipLeido>((resolve, reject) =>
    fromBuffer(zip, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const entradas: { nombre: string; texto: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    archivo.on('error', reject);
    archivo.on('end', resolve);
    archivo.on('entry', (e: Entry) =>
      archivo.openReadStream(e, (err, stream) => {
        if (err) return reject(err);
        buffer(stream).then((b) => {
          entradas.push({ nombre: e.fileName, texto: b.toString('utf8') });
          archivo.readEntry();
        }, reject);
      }),
    );
    archivo.readEntry();
  });
  return entradas;
}
