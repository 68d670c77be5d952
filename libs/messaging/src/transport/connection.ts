// One AMQP connection per process, kept alive by amqplib's own recovery (backoff with jitter). Channels
// die with their connection, so everything built on one — the publishing channel, the topology, the
// consumers — is (re)built by the setup steps, which run after every successful (re)connect.
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import { TransientError } from '../errors.js';
import { coalesceWrites } from './coalesce-writes.js';
import type { OutgoingMessage } from './wire.js';

type RecoveringModel = Awaited<ReturnType<typeof connectRecovering>>;
type SetupStep = (model: ChannelModel) => Promise<void>;

function connectRecovering(url: string, setup: SetupStep, initialMaxRetries: number) {
  return amqp.connect(url, {
    // Nagle off: a publish written right after an ack (a handler's outcome after its delivery's ack) would
    // otherwise wait for the broker's delayed ACK of that ack, about 40 ms per hop on Linux. A tick's frames
    // already leave in one write (coalesceWrites), so this adds no small packets.
    noDelay: true,
    recovery: { initialDelay: 200, maxDelay: 10_000, initialMaxRetries, setup, waitForConnect: true },
  });
}

export class AmqpConnection {
  private model?: RecoveringModel;
  private publisher?: ConfirmChannel;
  private readonly steps: SetupStep[] = [];
  private connectedSince: Date | null = null;
  private closing = false;
  private lastError: string | null = null;
  private reconnects = 0;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
    private readonly initialMaxRetries = 20,
  ) {}

  /** Registers a step to run now (if connected) and after every reconnect. */
  async addSetup(step: SetupStep): Promise<void> {
    this.steps.push(step);
    const current = this.currentModel;
    if (current) await step(current);
  }

  private currentModel?: ChannelModel;

  async start(): Promise<void> {
    this.model = await connectRecovering(this.url, (m) => this.onConnect(m), this.initialMaxRetries);
    this.model.on('disconnect', (err: Error) => {
      this.connectedSince = null;
      this.publisher = undefined;
      this.currentModel = undefined;
      this.lastError = err?.message ?? 'disconnected';
      this.log.warn({ err: this.lastError }, 'broker connection lost; reconnecting');
    });
    this.model.on('reconnect-scheduled', (info: { attempt: number; delay: number }) =>
      this.log.info({ attempt: info.attempt, delayMs: info.delay }, 'broker reconnect scheduled'),
    );
    this.model.on('error', (err: Error) => (this.lastError = err.message));
    this.model.on('reconnect-failed', (err: Error) => this.log.error({ err: err.message }, 'broker reconnect gave up'));
  }

  private async onConnect(model: ChannelModel): Promise<void> {
    coalesceWrites(model);
    const publisher = await this.openPublisher(model);
    this.currentModel = model;
    for (const step of this.steps) await step(model);
    this.publisher = publisher;
    if (this.connectedSince === null && this.lastError !== null) this.reconnects++;
    this.connectedSince = new Date();
    this.log.info({ reconnects: this.reconnects }, 'broker connected');
  }

  /**
   * The confirm channel everything is published on. A broker error on a publish (403 for a routing key
   * the service's user may not publish, 404 for an exchange that is not there) closes this channel and
   * not the connection, so no reconnect follows: another is opened on the same connection, or every later
   * publish would fail until the process restarted.
   */
  private async openPublisher(model: ChannelModel): Promise<ConfirmChannel> {
    const publisher = await model.createConfirmChannel();
    publisher.on('error', (err: Error) => this.log.warn({ err: err.message }, 'publishing channel error'));
    publisher.once('close', () => {
      if (this.publisher !== publisher) return;
      this.publisher = undefined;
      // The connection going closes its channels too: then onConnect opens the next one.
      if (this.closing || this.currentModel !== model) return;
      this.openPublisher(model).then(
        (next) => {
          if (this.currentModel === model && !this.closing) this.publisher = next;
          else void next.close().catch(() => undefined);
        },
        (err: Error) => {
          if (this.currentModel === model && !this.closing)
            this.log.warn({ err: err.message }, 'could not reopen the publishing channel');
        },
      );
    });
    return publisher;
  }

  get isConnected(): boolean {
    return this.connectedSince !== null && this.publisher !== undefined;
  }

  status() {
    return {
      connected: this.isConnected,
      connectedSince: this.connectedSince,
      reconnects: this.reconnects,
      lastError: this.lastError,
    };
  }

  /**
   * Publishes persistent messages and resolves when the broker has confirmed every one of them; rejects
   * with a TransientError at the first refusal. One promise for the lot, counted down by the confirms
   * (not waitForConfirms, which would also wait for what others publish on the channel meanwhile).
   */
  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    const ch = this.publisher;
    if (!ch) return Promise.reject(new TransientError('broker not connected', 'broker-down'));
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let unconfirmed = messages.length;
      let failed = false;
      const fail = (err: TransientError) => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      try {
        for (const m of messages) {
          ch.publish(m.exchange, m.routingKey, m.body, m.properties, (err) => {
            if (err) fail(new TransientError(`broker refused ${m.messageId}: ${String(err)}`, 'nack'));
            else if (--unconfirmed === 0 && !failed) resolve();
          });
        }
      } catch (err) {
        fail(new TransientError(`publish failed: ${String(err)}`, 'broker-down'));
      }
    });
  }

  /** A short-lived channel for admin work (queue depth, parked messages); closed by the caller. */
  async openChannel() {
    const model = this.currentModel;
    if (!model) throw new TransientError('broker not connected', 'broker-down');
    const ch = await model.createChannel();
    // A broker error closes only this channel (e.g. 404 for a queue that does not exist) and rejects the
    // pending call; without a listener the 'error' event would be thrown and take the process with it.
    ch.on('error', (err: Error) => this.log.debug({ err: err.message }, 'admin channel closed by the broker'));
    return ch;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.model?.close().catch(() => undefined);
    this.publisher = undefined;
    this.currentModel = undefined;
    this.connectedSince = null;
  }
}
