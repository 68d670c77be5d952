// Sign in: paste a token; the gateway says whose it is and its role. Kept in this tab only
// (sessionStorage): closing the tab signs out.
import { api, guardarSesion, token } from './api.js';
import { h, reemplazar } from './dom.js';

export default function ingresar(main) {
  const error = h('p', { id: 'error-ingreso', class: 'error', role: 'alert' });
  const campo = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: false,
    required: true,
    'aria-describedby': 'ayuda-token error-ingreso',
  });
  const boton = h('button', { type: 'submit' }, 'Ingresar');
  const form = h(
    'form',
    {
      class: 'tarjeta ingreso',
      onsubmit: async (e) => {
        e.preventDefault();
        reemplazar(error);
        const t = campo.value.trim();
        if (!t) return reemplazar(error, 'Pegá tu token de acceso.');
        boton.disabled = true;
        try {
          const quien = await api('/sesion', { tk: t });
          guardarSesion(t, quien);
          location.hash = '#/servicios';
        } catch (err) {
          reemplazar(error, `No se pudo ingresar: ${err.message}`);
          campo.focus();
        } finally {
          boton.disabled = false;
        }
      },
    },
    h('h1', {}, 'Ingresar'),
    h('label', { for: 'token' }, 'Token de acceso'),
    campo,
    h(
      'p',
      { id: 'ayuda-token', class: 'ayuda' },
      'El token que te dio un administrador (o ADMIN_TOKEN). Queda guardado solo en esta pestaña.',
    ),
    error,
    boton,
  );
  main.append(form);
  if (token()) main.append(h('p', {}, h('a', { href: '#/servicios' }, 'Ya ingresaste: ir al panel')));
  campo.focus();
}
