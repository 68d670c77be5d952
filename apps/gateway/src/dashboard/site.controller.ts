// The dashboard's files: the page at `/` and its modules and styles under /ui/. Plain files, no build
// step; served only from the public/ folder and only by name (no paths), with a strict Content Security
// Policy — the page runs its own scripts only and talks to this origin only.
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PUBLICO = fileURLToPath(new URL('./public/', import.meta.url));
const ARCHIVOS = new Set(readdirSync(PUBLICO).filter((f) => /^[a-z0-9-]+\.(js|css|html|svg)$/.test(f)));

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

@ApiExcludeController()
@Controller()
export class SiteController {
  @Get()
  pagina(@Res() res: Response): void {
    this.enviar(res, 'index.html');
  }

  @Get('ui/:archivo')
  archivo(@Param('archivo') archivo: string, @Res() res: Response): void {
    if (!ARCHIVOS.has(archivo) || archivo === 'index.html') throw new NotFoundException(`no existe /ui/${archivo}`);
    this.enviar(res, archivo);
  }

  private enviar(res: Response, archivo: string): void {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // Revalidated on every load: after a deploy the browser never mixes old and new modules.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(archivo, { root: PUBLICO, dotfiles: 'deny' });
  }
}
