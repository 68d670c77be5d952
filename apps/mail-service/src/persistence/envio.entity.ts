import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { EstadoEnvio } from '../domain/envio.js';

/**
 * One credentials email: its intent (committed before talking to SMTP) and its outcome. Never the
 * password nor the rendered body that holds it: only who, which template and credential, and what the
 * server said.
 */
@Entity({ name: 'envio' })
@Index('envio_clave', ['alumnoId', 'plantilla', 'credencialVersion'], { unique: true })
export class Envio {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'alumno_id', type: 'uuid' })
  alumnoId: string;

  @Column({ type: 'text' })
  plantilla: string;

  @Column({ name: 'credencial_version', type: 'int' })
  credencialVersion: number;

  @Column({ type: 'text' })
  destinatario: string;

  @Column({ type: 'text' })
  estado: EstadoEnvio;

  /** For `fallido`: true when retrying cannot help (the address was rejected). */
  @Column({ type: 'boolean', nullable: true })
  permanente: boolean | null;

  @Column({ type: 'text', nullable: true })
  motivo: string | null;

  @Column({ type: 'text', nullable: true })
  codigo: string | null;

  /** The Message-ID header we gave the email, fixed before sending: what to look for in the relay's logs. */
  @Column({ name: 'message_id', type: 'text' })
  messageId: string;

  /** The server's reply to the message (e.g. "250 2.0.0 Ok: queued as 1A2B3C"). */
  @Column({ name: 'respuesta_smtp', type: 'text', nullable: true })
  respuestaSmtp: string | null;

  /** Tries that reached the point of sending; an outcome only applies to the try it belongs to. */
  @Column({ type: 'int' })
  intentos: number;

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId: string;

  @Column({ name: 'enviado_at', type: 'timestamptz', nullable: true })
  enviadoAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
