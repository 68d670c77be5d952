// The release window of a lote. A pull of 3,000 students must not start 3,000 onboardings at once:
// the items of a lote are released in their order, at most `tamano` awaiting their critical step (the
// Teams account) at a time. A released item is done when its CuentaTeamsCreada/Fallida arrives, or,
// should that reply be lost, once `plazoMs` have passed, so a lote never stalls.
//
// An update (AlumnoActualizado) starts no onboarding and nothing answers it: it is released in its turn
// and is done at once, without holding a slot.

export interface ItemPendiente {
  id: string;
  /** True for a new student (AlumnoCreado): they hold a slot until their account step answers. */
  esperaRespuesta: boolean;
}

export interface Liberacion<I extends ItemPendiente> {
  /** To release now, in order. */
  liberar: I[];
  /** The window is full: later items wait for a slot (no need to look further). */
  lleno: boolean;
}

/** Which of the next pending items (in lote order) to release, given how many are in flight. */
export function planificarLiberacion<I extends ItemPendiente>(
  tamano: number,
  enVuelo: number,
  pendientes: readonly I[],
): Liberacion<I> {
  let libres = Math.max(0, tamano - enVuelo);
  const liberar: I[] = [];
  for (const item of pendientes) {
    if (item.esperaRespuesta) {
      // Keep the lote's order: an update behind a waiting creation waits too.
      if (libres === 0) return { liberar, lleno: true };
      libres--;
    }
    liberar.push(item);
  }
  return { liberar, lleno: libres === 0 };
}

/**
 * Whether a new window size lets students of lotes already in progress go now: only a larger one. A
 * smaller one recalls nobody already released; it releases nobody new until fewer are in flight.
 */
export const ventanaAmpliada = (antes: number, ahora: number): boolean => ahora > antes;

export interface ItemLiberado {
  id: string;
  liberadoEn: Date;
}

/** Released items whose reply is overdue: they stop holding their slot. */
export function vencidos<I extends ItemLiberado>(liberados: readonly I[], ahora: Date, plazoMs: number): I[] {
  return liberados.filter((i) => ahora.getTime() - i.liberadoEn.getTime() >= plazoMs);
}

/** A lote is complete when nothing waits to be released and nothing released awaits its reply. */
export const loteCompleto = (pendientes: number, enVuelo: number): boolean => pendientes === 0 && enVuelo === 0;
