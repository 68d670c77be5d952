// A zip made in a test from its files' text (PKWARE APPNOTE 6.3.x: local headers, the central directory,
// its end record), deflated or stored, so tests build the archives they upload instead of keeping binaries.
// `declarar` overrides the uncompressed size a header states, to make a zip that lies about it (a bomb).
import { crc32, deflateRawSync } from 'node:zlib';

export interface EntradaZip {
  nombre: string;
  contenido: string | Buffer;
  declarar?: number;
}

export function zipDe(entradas: readonly EntradaZip[] | Record<string, string | Buffer>): Buffer {
  const lista = Array.isArray(entradas)
    ? entradas
    : Object.entries(entradas).map(([nombre, contenido]) => ({ nombre, contenido }));
  const locales: Buffer[] = [];
  const centrales: Buffer[] = [];
  let offset = 0;
  for (const e of lista) {
    const datos = Buffer.isBuffer(e.contenido) ? e.contenido : Buffer.from(e.contenido, 'utf8');
    const comprimido = deflateRawSync(datos);
    const nombre = Buffer.from(e.nombre, 'utf8');
    const crc = crc32(datos);
    const tamano = e.declarar ?? datos.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comprimido.length, 18);
    local.writeUInt32LE(tamano, 22);
    local.writeUInt16LE(nombre.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comprimido.length, 20);
    central.writeUInt32LE(tamano, 24);
    central.writeUInt16LE(nombre.length, 28);
    central.writeUInt32LE(offset, 42);
    locales.push(local, nombre, comprimido);
    centrales.push(central, nombre);
    offset += local.length + nombre.length + comprimido.length;
  }
  const directorio = Buffer.concat(centrales);
  const fin = Buffer.alloc(22);
  fin.writeUInt32LE(0x06054b50, 0);
  fin.writeUInt16LE(lista.length, 8);
  fin.writeUInt16LE(lista.length, 10);
  fin.writeUInt32LE(directorio.length, 12);
  fin.writeUInt32LE(offset, 16);
  return Buffer.concat([...locales, directorio, fin]);
}
