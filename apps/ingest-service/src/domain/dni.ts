// The registry's key: a DNI as digits only. Exports and forms write it "45.123.456" or with stray
// spaces; nothing else is removed, so a hyphen or a letter makes the DNI invalid rather than guessed.

export type Dni = string;

export type DniLeido = { ok: true; dni: Dni } | { ok: false; motivo: string; tal: string | null };

export function leerDni(valor: unknown): DniLeido {
  if (valor === null || valor === undefined || String(valor).trim() === '') return { ok: false, motivo: 'falta el DNI', tal: null };
  const tal = String(valor).trim();
  const digitos = tal.replace(/[.\s]/g, '');
  if (!/^\d{7,8}$/.test(digitos)) return { ok: false, motivo: `DNI inválido "${tal}": debe tener 7 u 8 dígitos (sin contar puntos ni espacios)`, tal };
  return { ok: true, dni: digitos };
}
