// A small line chart as inline SVG, for a figure over time (the Servicios page's last hour). Built with
// the DOM like everything else (createElementNS, values as attributes or text, never markup) and styled
// from styles.css: the page's Content Security Policy allows no inline styles and no outside files.
import { h, hora, numero } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const ANCHO = 320;
const ALTO = 96;
const MARGEN = 6;

function s(tag, attrs = {}, ...hijos) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of hijos) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/**
 * `puntos`: [{ at: ISO, valor: number }] oldest first. The x axis is time: the span the points cover, at
 * least `minutos` points a minute apart. The y axis starts at 0 and reaches the largest value (or 1, so a
 * flat zero line sits at the bottom rather than the middle).
 */
export function graficoLinea({ id, titulo, puntos, minutos = 60 }) {
  const fin = puntos.length ? Date.parse(puntos.at(-1).at) : Date.now();
  const inicio = Math.min(puntos.length ? Date.parse(puntos[0].at) : fin, fin - (minutos - 1) * 60_000);
  const maximo = Math.max(1, ...puntos.map((p) => p.valor));
  const x = (t) => MARGEN + ((t - inicio) / Math.max(1, fin - inicio)) * (ANCHO - 2 * MARGEN);
  const y = (v) => ALTO - MARGEN - (v / maximo) * (ALTO - 2 * MARGEN);
  const coords = puntos.map((p) => [x(Date.parse(p.at)).toFixed(1), y(p.valor).toFixed(1)]);
  const ultimo = puntos.at(-1);
  const resumen = ultimo
    ? `${titulo}: ${numero(ultimo.valor)} a las ${hora(ultimo.at)}; máximo ${numero(Math.max(0, ...puntos.map((p) => p.valor)))}`
    : `${titulo}: sin datos todavía`;
  const svg = s(
    'svg',
    { viewBox: `0 0 ${ANCHO} ${ALTO}`, class: 'grafico', role: 'img', 'aria-label': resumen },
    s('title', {}, resumen),
    s('line', { class: 'eje', x1: MARGEN, y1: ALTO - MARGEN, x2: ANCHO - MARGEN, y2: ALTO - MARGEN }),
    s('text', { class: 'escala', x: MARGEN, y: MARGEN + 8 }, numero(maximo)),
    s('polyline', { class: 'linea', points: coords.map((c) => c.join(',')).join(' ') }),
    ...coords.map(([cx, cy]) => s('circle', { class: 'punto', cx, cy, r: 1.6 })),
  );
  return h(
    'figure',
    { class: 'grafico-figura', id },
    h('figcaption', {}, titulo, ' ', h('strong', {}, ultimo ? numero(ultimo.valor) : '—')),
    svg,
    h(
      'p',
      { class: 'ayuda' },
      puntos.length
        ? `${hora(new Date(inicio).toISOString())} – ${hora(new Date(fin).toISOString())}`
        : 'Sin muestras todavía: la primera llega en menos de un minuto.',
    ),
  );
}
