// The registry's key: a DNI as digits only. Exports and forms write it "45.123.456" or with stray
// spaces; nothing else is removed, so a hyphen or a letter makes the DNI invalid rather than guessed.
//
// An Argentine DNI is a number given in sequence from 1,000,000 up (RENAPER): 7 or 8 digits today, up to
// the 90 millions of foreign residents. Leading zeros are kept as written (an export may pad 7.123.456 to
// "07123456"; changing the key would give a known student a second account), but they do not count: a
// number under a million ("0000000", "00123456") is no student's DNI. Repeated digits are no sign of a
// fake (11.111.111 and 22.222.222 were issued), so nothing else is refused.

export type Dni = string;

export type DniLeido = { ok: true; dni: Dni } | { ok: false; motivo: string; tal: string | null };

const MENOR = 1_000_000;

export function leerDni(valor: unknown): DniLeido {
  if (valor === null || valor === undefined || String(valor).trim() === '')
    return { ok: false, motivo: 'falta el DNI', tal: null };
  const tal = String(valor).trim();
  const digitos = tal.replace(/[.\s]/g, '');
  if (!/^\d{7,8}$/.test(digitos))
    return {
      ok: false,
      motivo: `DNI inválido "${tal}": debe tener 7 u 8 dígitos (sin contar puntos ni espacios)`,
      tal,
    };
  if (/^0+$/.test(digitos)) return { ok: false, motivo: `DNI inválido "${tal}": es todo ceros`, tal };
  if (Number(digitos) < MENOR) {
    return {
      ok: false,
      motivo: `DNI inválido "${tal}": sin los ceros a la izquierda quedan ${String(Number(digitos)).length} dígitos; un DNI tiene 7 u 8`,
      tal,
    };
  }
  return { ok: true, dni: digitos };
}
