// The adapter of an upload of rows: each uploaded row is a student's row; no list, so no absences.
import type { RegistrarLote } from '@lucy/contracts';
import type { AdaptadorFuente } from '../fuentes/lectura.js';
import { filasDeUpload } from './upload-fila.js';

export const lecturaDeUpload: AdaptadorFuente<Pick<RegistrarLote, 'nombreArchivo' | 'filas'>> = (cmd) => ({
  filas: filasDeUpload(cmd.nombreArchivo ?? 'upload', cmd.filas),
  errores: [],
});
