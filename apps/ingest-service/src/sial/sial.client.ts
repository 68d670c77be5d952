// The SIAL REST API (Django REST framework): GET /v1/api/{aspirantes,preinscriptos,ingresantes}/ with
// HTTP Basic auth, paged with PageNumberPagination ({count, next, previous, results}, ?page=&page_size=).
// Knows SIAL, not our domain: it returns SIAL's records as they are. Each request goes through the
// guard (libs/resilience): a breaker that, while SIAL is down, answers a pull with a DeferError at once
// (the SincronizarSial waits in RabbitMQ, attempts untouched) instead of spending its retries. No rate
// limit: a pull is a handful of pages, asked for by an operator or the scheduler.
import { Injectable } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import type { FUENTES_SIAL } from '@lucy/contracts';
import { TransientError, PermanentError } from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import { InjectGuard, type DependencyGuard } from '@lucy/resilience';
import { sialPassword, type IngestConfig } from '../config.js';
import { sialError } from './sial.errors.js';

export type ListaSial = (typeof FUENTES_SIAL)[number];
/** A SIAL record as sent (dni, apellido, nombre, email_personal, email_institucional, carrera, periodo, ...). */
export type RegistroSial = Record<string, unknown>;

const Pagina = z.object({
  count: z.number().int().min(0),
  next: z.string().nullable(),
  results: z.array(z.record(z.string(), z.unknown())),
});
// SIAL configured without pagination answers a bare list.
const Respuesta = z.union([Pagina, z.array(z.record(z.string(), z.unknown()))]);

@Injectable()
export class SialClient {
  private readonly http: AxiosInstance;

  constructor(
    @InjectConfig() private readonly config: IngestConfig,
    @InjectGuard('sial') private readonly guard: DependencyGuard,
  ) {
    this.http = axios.create({
      baseURL: config.SIAL_URL.replace(/\/+$/, ''),
      timeout: config.SIAL_TIMEOUT_MS,
      auth: { username: config.SIAL_USER, password: sialPassword(config) },
      headers: { Accept: 'application/json' },
      // Django redirects a path without its trailing slash (APPEND_SLASH); we always send the slash.
      maxRedirects: 0,
    });
  }

  /** Every record of one list, all pages. */
  async listar(lista: ListaSial): Promise<RegistroSial[]> {
    const path = `/v1/api/${lista}/`;
    const registros: RegistroSial[] = [];
    let params: Record<string, string> = { page_size: String(this.config.SIAL_PAGE_SIZE) };
    let count: number;
    for (let pagina = 1; ; pagina++) {
      const body = await this.get(path, params, { lista, pagina });
      if (Array.isArray(body)) return body;
      registros.push(...body.results);
      count = body.count;
      if (!body.next) break;
      if (pagina > Math.ceil(count / Math.max(1, body.results.length)) + 1) {
        throw new TransientError(
          `SIAL ${lista}: la paginación no termina (página ${pagina}, ${count} registros)`,
          'sial-pagina',
        );
      }
      // DRF builds `next` from the Host header and scheme it saw: behind a proxy that can be an internal
      // host or http instead of https. Only its query (page, page_size) is ours to follow.
      params = Object.fromEntries(new URL(body.next).searchParams);
    }
    // PageNumberPagination pages by offset: a record added or removed between two pages shifts the
    // rest, so one would be read twice or not at all. Read the whole list again rather than ingest that.
    const repetidos =
      registros.every((r) => r.id !== undefined) && new Set(registros.map((r) => r.id)).size !== registros.length;
    if (registros.length !== count || repetidos) {
      throw new TransientError(
        `SIAL ${lista}: la lista cambió mientras se leía (${registros.length} leídos de ${count})`,
        'sial-pagina',
      );
    }
    return registros;
  }

  private async get(path: string, params: Record<string, string>, donde: { lista: string; pagina: number }) {
    // The axios error becomes ours inside the guard: its config carries the Basic credentials.
    const data = await this.guard.call('read', async (signal) => {
      try {
        return (await this.http.get(path, { params, responseType: 'json', signal })).data as unknown;
      } catch (err) {
        throw sialError(err, donde);
      }
    });
    const parsed = Respuesta.safeParse(data);
    if (!parsed.success)
      throw new PermanentError(
        `SIAL ${donde.lista} (página ${donde.pagina}): respuesta inesperada (¿SIAL_URL correcta?)`,
        'sial-respuesta',
      );
    return parsed.data;
  }
}
