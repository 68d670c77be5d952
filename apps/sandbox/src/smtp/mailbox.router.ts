// The inbox over HTTP, shaped like Mailpit's API (so a developer's habits and tools carry over):
//   GET    /api/v1/messages[?to=addr&limit=&start=]  list, newest first  {total, count, start, messages:[summary]}
//   GET    /api/v1/message/:id  (Mailpit) or /api/v1/messages/:id      the full message (Text, HTML, Headers, Envelope)
//   GET    /api/v1/message/:id/raw  or /api/v1/messages/:id/raw          the message as received (message/rfc822)
//   DELETE /api/v1/messages  [{"IDs": [...]}]                          delete some, or all
//   GET    /api/v1/search?query=to:addr                                 the list filtered (Mailpit's to: only)
import express, { type Request, type Response } from 'express';
import type { Mailbox, StoredMessage } from './mailbox.store.js';

const summary = (m: StoredMessage) => ({
  ID: m.ID,
  MessageID: m.MessageID,
  Read: false,
  From: m.From,
  To: m.To,
  Cc: m.Cc,
  Bcc: m.Bcc,
  ReplyTo: m.ReplyTo,
  Subject: m.Subject,
  Created: m.Created,
  Tags: [],
  Size: m.Size,
  Attachments: m.Attachments.length,
  Snippet: m.Text.replace(/\s+/g, ' ').trim().slice(0, 250),
});

const full = ({ Raw: _raw, ...m }: StoredMessage) => ({ ...m, Read: false, Tags: [] });

export function mailboxRouter(mailbox: Mailbox): express.Router {
  const r = express.Router();
  r.use(express.json());

  const listing = (req: Request, res: Response, to?: string) => {
    const all = mailbox.list({ to });
    const start = Math.max(0, Number(req.query.start ?? 0) || 0);
    const limit = Math.max(1, Number(req.query.limit ?? 50) || 50);
    const page = all.slice(start, start + limit);
    res.json({
      total: mailbox.size,
      unread: mailbox.size,
      count: page.length,
      messages_count: all.length,
      start,
      tags: [],
      messages: page.map(summary),
    });
  };

  r.get('/api/v1/messages', (req, res) =>
    listing(req, res, typeof req.query.to === 'string' ? req.query.to : undefined),
  );
  r.get('/api/v1/search', (req, res) => {
    const q = String(req.query.query ?? '');
    const m = /(?:^|\s)to:"?([^\s"]+)"?/.exec(q);
    listing(req, res, m?.[1]);
  });
  for (const base of ['/api/v1/message/:id', '/api/v1/messages/:id']) {
    r.get(base, (req, res) => {
      const m = mailbox.get(String((req.params as Record<string, string>).id));
      if (!m) return res.status(404).type('text/plain').send('message not found');
      res.json(full(m));
    });
    r.get(`${base}/raw`, (req, res) => {
      const m = mailbox.get(String((req.params as Record<string, string>).id));
      if (!m) return res.status(404).type('text/plain').send('message not found');
      res.type('message/rfc822').send(m.Raw);
    });
  }
  r.delete('/api/v1/messages', (req, res) => {
    const ids = Array.isArray(req.body?.IDs) ? (req.body.IDs as string[]) : undefined;
    mailbox.delete(ids);
    res.type('text/plain').send('ok');
  });
  return r;
}
