// What an HTTP stand-in sends when a fault knob fires, shaped like the web server in front of the
// real service would answer (nginx/Apache HTML pages, not the application's JSON): that is what a
// client sees when PHP-FPM is down or a proxy rate-limits.
import type { Response } from 'express';

const page = (title: string) =>
  `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

export function sendDown(res: Response): void {
  res.status(503).type('text/html').set('Server', 'nginx').send(page('503 Service Temporarily Unavailable'));
}

export function sendError5xx(res: Response): void {
  res.status(502).type('text/html').set('Server', 'nginx').send(page('502 Bad Gateway'));
}

export function sendThrottle(res: Response, retryAfterSeconds: number): void {
  res
    .status(429)
    .type('text/html')
    .set('Server', 'nginx')
    .set('Retry-After', String(Math.ceil(retryAfterSeconds)))
    .send(page('429 Too Many Requests'));
}
