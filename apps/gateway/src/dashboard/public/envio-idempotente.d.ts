// Types of envio-idempotente.js, for its unit test (the page's modules are plain JS, served as they are).
export function nuevaClave(c?: { randomUUID?: () => string; getRandomValues<T extends Uint8Array>(a: T): T }): string;
export function encabezado(clave: string): string;
export function enviarIdempotente(
  intentar: (clave: string) => Promise<{ status: number; headers: { get(nombre: string): string | null } }>,
  opciones?: { clave?: string; esperas?: number[]; esperar?: (ms: number) => Promise<void> },
): Promise<{ status: number; headers: { get(nombre: string): string | null } }>;
