import { loteCompleto, planificarLiberacion, vencidos, ventanaAmpliada } from './ventana.js';

const nuevo = (id: string) => ({ id, esperaRespuesta: true });
const actualizado = (id: string) => ({ id, esperaRespuesta: false });
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('release window', () => {
  it('releases the first items of a lote up to the window size', () => {
    const r = planificarLiberacion(3, 0, ['a', 'b', 'c', 'd', 'e'].map(nuevo));
    expect(ids(r.liberar)).toEqual(['a', 'b', 'c']);
    expect(r.lleno).toBe(true);
  });

  it('releases only as many as have finished while the window is partly in flight', () => {
    expect(ids(planificarLiberacion(3, 2, ['d', 'e'].map(nuevo)).liberar)).toEqual(['d']);
  });

  it('releases nothing while the window is full', () => {
    expect(planificarLiberacion(3, 3, [nuevo('d')])).toEqual({ liberar: [], lleno: true });
  });

  it('lets updates through without holding a slot, in lote order', () => {
    const r = planificarLiberacion(2, 1, [
      actualizado('u1'),
      nuevo('n1'),
      actualizado('u2'),
      nuevo('n2'),
      actualizado('u3'),
    ]);
    expect(ids(r.liberar)).toEqual(['u1', 'n1', 'u2']);
  });

  it('keeps an update behind a creation that must wait', () => {
    expect(ids(planificarLiberacion(1, 1, [nuevo('n1'), actualizado('u1')]).liberar)).toEqual([]);
  });

  it('says the window is not full when the pending items ran out first', () => {
    expect(planificarLiberacion(5, 0, [nuevo('a')])).toEqual({ liberar: [nuevo('a')], lleno: false });
  });

  it('lets more go at once only when the window grows', () => {
    expect(ventanaAmpliada(2, 5)).toBe(true);
    expect(ventanaAmpliada(5, 5)).toBe(false);
    expect(ventanaAmpliada(5, 3)).toBe(false);
  });

  it('releases nobody new after the window shrinks below what is in flight, until enough answer', () => {
    // 5 released under the old window, window now 3: nothing goes until only 2 are in flight.
    expect(planificarLiberacion(3, 5, [nuevo('f')])).toEqual({ liberar: [], lleno: true });
    expect(planificarLiberacion(3, 3, [nuevo('f')])).toEqual({ liberar: [], lleno: true });
    expect(ids(planificarLiberacion(3, 2, [nuevo('f'), nuevo('g')]).liberar)).toEqual(['f']);
  });

  it('stops waiting for a reply once the time limit has passed', () => {
    const ahora = new Date('2027-02-01T10:00:00Z');
    const hace = (ms: number) => new Date(ahora.getTime() - ms);
    const liberados = [
      { id: 'viejo', liberadoEn: hace(300_000) },
      { id: 'reciente', liberadoEn: hace(299_999) },
    ];
    expect(ids(vencidos(liberados, ahora, 300_000))).toEqual(['viejo']);
  });

  it('finds a lote complete only with nothing pending and nothing in flight', () => {
    expect(loteCompleto(0, 0)).toBe(true);
    expect(loteCompleto(1, 0)).toBe(false);
    expect(loteCompleto(0, 1)).toBe(false);
  });
});
