// The adapter of a SIAL pull: each list's records are rows, and each list read whole counts for absences.
import type { AdaptadorFuente, Lectura } from '../fuentes/lectura.js';
import { listaLeida } from './lista-leida.js';
import { filasDeSial } from './sial-fila.js';
import type { ListaSial, RegistroSial } from './sial.client.js';

export interface PullSial {
  listas: readonly { lista: ListaSial; registros: readonly RegistroSial[] }[];
  periodo?: string;
}

export const lecturaDeSial: AdaptadorFuente<PullSial> = ({ listas, periodo }) => {
  const lectura: Lectura = { filas: [], errores: [], listas: [] };
  for (const { lista, registros } of listas) {
    lectura.filas.push(...filasDeSial(lista, registros, periodo));
    lectura.listas!.push(listaLeida(lista, registros));
  }
  return lectura;
};
