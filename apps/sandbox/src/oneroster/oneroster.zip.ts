// The CSV package as the binding ships it: one zip with every file at its root, manifest.csv first
// (IMS OneRoster 1.1 CSV binding, "manifest.csv"), written with yazl and streamed as it is made.
import type { Response } from 'express';
import { ZipFile } from 'yazl';
import type { CsvMode } from './oneroster.csv.js';

/** oneroster-bulk.zip, or oneroster-delta-20270301T000000Z.zip: a delta's name says since when. */
export const zipName = (m: CsvMode) =>
  m.mode === 'bulk' ? 'oneroster-bulk.zip' : `oneroster-delta-${m.since.toISOString().replace(/[-:]|\.\d+/g, '')}.zip`;

/** Sends `files` (manifest.csv first, as csvPackage orders them) as an application/zip attachment. */
export function sendZip(res: Response, name: string, files: Map<string, string>): void {
  const zip = new ZipFile();
  for (const [file, text] of files) zip.addBuffer(Buffer.from(text, 'utf8'), file);
  zip.end();
  res.type('application/zip').attachment(name);
  zip.outputStream.pipe(res);
}
