// The use case: email a student their credentials, at most once per template and credential version,
// and tell the saga how it went (EmailEnviado / EmailFallido). The return email (an account active again)
// goes the same way with no credential, once per return (envio/respuestas.ts: its replies). The rules for a
// redelivery are in domain/envio.ts; what an SMTP error means, in smtp/smtp.errors.ts. A send that fails
// throws: the handler's onFailure answers (EmailFallido, AvisoRetornoFallido) when it is permanent or the
// last attempt.
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { recortarMotivo, type AlumnoDatos, type SealedSecret } from '@lucy/contracts';
import { isDeferral, PermanentError, TransientError, type DeferError, type MessageContext } from '@lucy/messaging';
import { InjectConfig, SecretBox } from '@lucy/platform';
import { domainOf, type MailConfig } from '../config.js';
import { elegirDestinatario } from '../domain/destinatario.js';
import { CODIGO_INCIERTO, decidir, type ClaveEnvio } from '../domain/envio.js';
import type { Envio } from '../persistence/envio.entity.js';
import { EnvioRepository } from '../persistence/envio.repository.js';
import { Plantillas, type Renderizado } from '../plantillas/plantillas.js';
import { SmtpClient, type Aceptado } from '../smtp/smtp.client.js';
import { clasificarErrorSmtp, type Clasificacion } from '../smtp/smtp.errors.js';
import { EnvioMetrics } from './envio.metrics.js';
import { respuestasDe } from './respuestas.js';

/** To whom and what one email says, once it is decided to send it. */
export interface Preparado {
  destinatario: string;
  mensaje: Renderizado;
}
export type Preparar = () => Preparado;

export interface Credenciales extends ClaveEnvio {
  upn: string;
  /**
   * The temporary password, sealed by teams-service for this student (context = alumnoId). Absent: an
   * email that carries none (the return email, whose template cannot show one: plantillas/retorno.ts).
   */
  credencial?: SealedSecret;
  alumno: AlumnoDatos;
}

@Injectable()
export class EnviarCredenciales {
  private readonly log = new Logger('EnviarCredenciales');
  private readonly dominio: string;

  constructor(
    private readonly envios: EnvioRepository,
    private readonly smtp: SmtpClient,
    private readonly plantillas: Plantillas,
    private readonly secretBox: SecretBox,
    private readonly metrics: EnvioMetrics,
    @InjectConfig() private readonly config: MailConfig,
  ) {
    this.dominio = domainOf(config.MAIL_FROM);
  }

  async ejecutar(c: Credenciales, ctx: MessageContext): Promise<void> {
    const clave: ClaveEnvio = { alumnoId: c.alumnoId, plantilla: c.plantilla, credencialVersion: c.credencialVersion };
    return this.enviarUna(clave, () => this.preparar(c, clave), ctx);
  }

  /**
   * One email per `clave`, whatever is redelivered: the rules of domain/envio.ts, the relay's guard, the row
   * and the reply. `preparar` says to whom and what, only once it is decided to send (a throw there sends
   * nothing and leaves no row). The credentials and return emails come through `ejecutar`; an operators'
   * alert (alertas/) straight here.
   */
  async enviarUna(clave: ClaveEnvio, preparar: Preparar, ctx: MessageContext): Promise<void> {
    await this.envios.bloquear(ctx.manager, clave);
    const previo = await this.envios.buscar(ctx.manager, clave);
    switch (decidir(previo)) {
      case 'repetirResultado':
        this.metrics.contar(clave.plantilla, 'repetido');
        return this.informar(ctx, previo!);
      case 'declararIncierto': {
        this.log.warn({
          msg: 'a previous try died mid-send; not sending again',
          ...clave,
          messageId: previo!.messageId,
        });
        this.metrics.contar(clave.plantilla, 'incierto');
        const motivo = `un intento anterior (${previo!.updatedAt.toISOString()}) se interrumpió durante el envío: el servidor pudo haberlo aceptado. Buscar ${previo!.messageId} en el relay o restablecer la contraseña`;
        return this.informar(
          ctx,
          await this.envios.registrarResultado(previo!, {
            estado: 'incierto',
            permanente: false,
            codigo: CODIGO_INCIERTO,
            motivo,
          }),
        );
      }
      case 'enviar':
        return this.enviar(clave, preparar, previo, ctx);
    }
  }

  private preparar(c: Credenciales, clave: ClaveEnvio): Preparado {
    const destinatario = elegirDestinatario(c.alumno, c.upn);
    if (!destinatario) {
      throw this.sinEnviar(
        clave,
        new PermanentError('el alumno no tiene correo institucional ni personal al que escribir', 'SIN_DESTINATARIO'),
      );
    }
    let password = '';
    try {
      if (c.credencial) password = this.secretBox.open(c.credencial, c.alumnoId);
    } catch (err) {
      // A wrong or missing key, or a credential sealed for someone else: no retry can open it.
      throw this.sinEnviar(
        clave,
        new PermanentError(`no se pudo abrir la contraseña sellada: ${(err as Error).message}`, 'CREDENCIAL_ILEGIBLE'),
      );
    }
    const { nombre, apellido, carrera } = c.alumno;
    const mensaje = this.plantillas.render(c.plantilla, {
      nombre,
      apellido,
      carrera,
      upn: c.upn,
      password,
      moodleUrl: this.config.MAIL_MOODLE_URL,
    });
    return { destinatario, mensaje };
  }

  private async enviar(
    clave: ClaveEnvio,
    preparar: Preparar,
    previo: Envio | null,
    ctx: MessageContext,
  ): Promise<void> {
    const { destinatario, mensaje } = preparar();
    const id = previo?.id ?? randomUUID();
    const envio = await this.envios.registrarIntento(previo, {
      ...clave,
      id,
      destinatario,
      messageId: previo?.messageId ?? `<${id}@${this.dominio}>`,
      correlationId: ctx.correlationId,
    });

    let aceptado: Aceptado | undefined;
    let error: Clasificacion | undefined;
    try {
      aceptado = await this.smtp.send({ to: destinatario, ...mensaje, messageId: envio.messageId });
    } catch (err) {
      if (isDeferral(err)) error = await this.aplazado(envio, err);
      else error = clasificarErrorSmtp(err);
    }

    if (aceptado) {
      this.log.log({
        msg: 'email accepted by the SMTP server',
        ...clave,
        messageId: envio.messageId,
        intentos: envio.intentos,
      });
      this.metrics.contar(clave.plantilla, 'enviado');
      return this.informar(
        ctx,
        await this.envios.registrarResultado(envio, {
          estado: 'enviado',
          respuestaSmtp: aceptado.respuesta.slice(0, 1000),
          enviadoAt: new Date(),
        }),
      );
    }
    const e = error!;
    if (e.tipo === 'incierto') {
      this.log.warn({
        msg: 'email outcome unknown; not sending again',
        ...clave,
        messageId: envio.messageId,
        codigo: e.codigo,
        motivo: e.motivo,
      });
      this.metrics.contar(clave.plantilla, 'incierto');
      return this.informar(
        ctx,
        await this.envios.registrarResultado(envio, {
          estado: 'incierto',
          permanente: false,
          codigo: CODIGO_INCIERTO,
          motivo: `${e.codigo}: ${e.motivo}`,
        }),
      );
    }
    const permanente = e.tipo === 'permanente';
    await this.envios.registrarResultado(envio, {
      estado: 'fallido',
      permanente,
      codigo: e.codigo,
      motivo: e.motivo,
    });
    this.metrics.contar(clave.plantilla, permanente ? 'rechazado' : ctx.isLastAttempt ? 'fallido' : 'reintento');
    if (permanente) throw new PermanentError(e.motivo, e.codigo);
    // Nothing was accepted: the transport retries the message later and the next try sends again.
    throw new TransientError(e.motivo, e.codigo);
  }

  /**
   * The relay must not be asked now (breaker open, no rate slot soon): the message waits in RabbitMQ,
   * its attempt not counted. The intent committed before is withdrawn — nothing left — so the next try
   * sends instead of declaring the outcome unknown. Only when the deferral carries a cause was this the
   * half-open probe's own send: a connection lost mid-transfer then stays uncertain, as any other.
   */
  private async aplazado(envio: Envio, err: DeferError): Promise<Clasificacion> {
    const causa = (err as { cause?: unknown }).cause;
    if (causa !== undefined) {
      const c = clasificarErrorSmtp(causa);
      if (c.tipo === 'incierto') return c;
    }
    await this.envios.registrarResultado(envio, {
      estado: 'fallido',
      permanente: false,
      codigo: 'SMTP_APLAZADO',
      motivo: err.message,
    });
    this.metrics.contar(envio.plantilla, 'aplazado');
    throw err;
  }

  /** Tells the saga the outcome a row records (again, on a redelivery: the saga ignores repeats). */
  private informar(ctx: MessageContext, envio: Envio): void {
    const clave = { alumnoId: envio.alumnoId, plantilla: envio.plantilla, credencialVersion: envio.credencialVersion };
    const respuestas = respuestasDe(envio.plantilla);
    if (envio.estado === 'enviado') return respuestas.enviado(ctx, clave, envio.destinatario, envio.messageId);
    if (envio.estado === 'enviando') throw new Error(`envio ${envio.id} has no outcome to report`);
    respuestas.fallido(ctx, clave, {
      permanente: Boolean(envio.permanente),
      codigo: envio.codigo ?? undefined,
      motivo: recortarMotivo(envio.motivo ?? envio.estado),
    });
  }

  /** A failure found before anything was sent: no row (a fix upstream and a new message may still succeed). */
  private sinEnviar(clave: ClaveEnvio, err: PermanentError): PermanentError {
    this.metrics.contar(clave.plantilla, 'sin_enviar');
    return err;
  }
}
