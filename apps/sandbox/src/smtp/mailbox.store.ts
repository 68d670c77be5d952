// The SMTP stand-in's inbox: every accepted message, parsed, newest first. In memory, bounded.
import { randomUUID } from 'node:crypto';

export interface Address {
  Name: string;
  Address: string;
}

export interface StoredMessage {
  ID: string;
  MessageID: string;
  From: Address | null;
  To: Address[];
  Cc: Address[];
  Bcc: Address[];
  ReplyTo: Address[];
  Subject: string;
  /** When the stand-in accepted it (ISO). */
  Created: string;
  /** The Date header (ISO), if any. */
  Date: string | null;
  Text: string;
  HTML: string;
  Size: number;
  Attachments: { FileName: string; ContentType: string; Size: number }[];
  Headers: Record<string, string[]>;
  /** The SMTP envelope, which can differ from the headers (Bcc recipients, bounces). */
  Envelope: { MailFrom: string; RcptTo: string[]; RemoteAddress: string; AuthUser: string | null };
  Raw: Buffer;
}

export class Mailbox {
  private messages: StoredMessage[] = [];
  constructor(private readonly max = 10_000) {}

  add(m: Omit<StoredMessage, 'ID' | 'Created'>): StoredMessage {
    const msg: StoredMessage = { ...m, ID: randomUUID(), Created: new Date().toISOString() };
    this.messages.unshift(msg);
    if (this.messages.length > this.max) this.messages.length = this.max;
    return msg;
  }

  /** Newest first; `to` matches header To/Cc or envelope recipients, case-insensitively. */
  list(filter: { to?: string } = {}): StoredMessage[] {
    const to = filter.to?.toLowerCase();
    if (!to) return [...this.messages];
    return this.messages.filter(
      (m) =>
        [...m.To, ...m.Cc].some((a) => a.Address.toLowerCase() === to) ||
        m.Envelope.RcptTo.some((r) => r.toLowerCase() === to),
    );
  }

  get(id: string): StoredMessage | undefined {
    return this.messages.find((m) => m.ID === id);
  }

  delete(ids?: string[]): number {
    const before = this.messages.length;
    this.messages = ids?.length ? this.messages.filter((m) => !ids.includes(m.ID)) : [];
    return before - this.messages.length;
  }

  get size(): number {
    return this.messages.length;
  }
}
