// Which outcomes alert the operators, and what the alert says. Pure: the service (alertas.service.ts) reads
// the configuration and publishes; this decides.
//   - a job's run recorded fallido (scheduled, catch-up or manual) → trabajo_fallido; ok and omitido do not;
//   - a reconciliation that ends fallida → reconciliacion_fallida;
//   - one that ends terminada with more differences than `umbralDiferencias` → deriva (0: any difference).
import type { EnviarAlerta, TipoAlerta } from '@lucy/contracts';

export type Hecho =
  | {
      tipo: 'ejecucion';
      trabajo: string;
      ejecucionId: string;
      resultado: 'ok' | 'fallido' | 'omitido';
      disparo: string;
      error?: string;
    }
  | {
      tipo: 'reconciliacion';
      reconciliacionId: string;
      estado: 'terminada' | 'fallida';
      error?: string | null;
      diferencias: number;
      porTipo: Record<string, number>;
    };

export interface Alerta {
  tipo: TipoAlerta;
  datos: EnviarAlerta['datos'];
}

const recortar = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

/** The alert `hecho` raises, or null. `ahora`: when it was decided (the email says it). */
export function alertaDe(hecho: Hecho, umbralDiferencias: number, ahora: Date): Alerta | null {
  const ocurridaAt = ahora.toISOString();
  if (hecho.tipo === 'ejecucion') {
    if (hecho.resultado !== 'fallido') return null;
    return {
      tipo: 'trabajo_fallido',
      datos: {
        titulo: `Falló el trabajo ${hecho.trabajo} (${hecho.disparo})`,
        trabajo: hecho.trabajo,
        ejecucionId: hecho.ejecucionId,
        motivo: recortar(hecho.error || 'sin detalle', 2000),
        ocurridaAt,
      },
    };
  }
  if (hecho.estado === 'fallida')
    return {
      tipo: 'reconciliacion_fallida',
      datos: {
        titulo: 'Falló una reconciliación',
        reconciliacionId: hecho.reconciliacionId,
        motivo: recortar(hecho.error || 'sin detalle', 2000),
        ocurridaAt,
      },
    };
  if (hecho.diferencias <= umbralDiferencias) return null;
  return {
    tipo: 'deriva',
    datos: {
      titulo: `La reconciliación encontró ${hecho.diferencias} diferencias (umbral ${umbralDiferencias})`,
      reconciliacionId: hecho.reconciliacionId,
      diferencias: hecho.diferencias,
      umbral: umbralDiferencias,
      porTipo: hecho.porTipo,
      ocurridaAt,
    },
  };
}
