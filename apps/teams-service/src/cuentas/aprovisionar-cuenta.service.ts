// AlumnoCreado → an Entra ID account, once: found by UPN or created, with usageLocation and the licence,
// and a fresh temporary password; then CuentaTeamsCreada (sealed credential) or CuentaTeamsFallida.
//
// A found account always gets a new temporary password: the student needs working credentials and we
// never keep one to resend (an earlier attempt's password died with it; an account made outside Lucy
// has one we do not know). It is also enabled again: a new AlumnoCreado means the student is coming in.
//
// The UPN pattern and the licence are runtime keys (configuracion.ts), read here at the moment of use.
// A student's UPN is the one in their cuenta row once an account exists under it (domain/cuenta.ts
// upnDefinitivo): a pattern changed since never gives them a second account. A user is created with
// employeeId = DNI, so an account an interrupted attempt created but never recorded (its last
// transaction never committed) is found again even if the pattern changed before the redelivery.
//
// No transaction is open while Graph is called (the handler's `transaction: 'own'`): the row is read,
// and a new student's UPN reserved, in a short transaction first; the outcome is saved in the message's
// last one (ctx.commit), with its inbox mark and its reply. Deliveries for one student take turns on its
// lease, so a message waiting for a Graph rate slot or a Retry-After holds no connection and no lock.
//
// A student whose onboarding fails leaves nothing active: a user this onboarding created (or an earlier
// failed one of ours left) is disabled before CuentaTeamsFallida, which names it so the gateway shows it
// and its saga deletes it, unless a retry adopts it first (found by UPN or employeeId, enabled again).
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CuentaTeamsCreada,
  recortarMotivo,
  type AlumnoCreado,
  type AlumnoDatos,
  type CuentaTeamsFallida,
  type Fallo,
} from '@lucy/contracts';
import {
  describeError,
  isDeferral,
  PermanentError,
  TransientError,
  type FailureNote,
  type OwnTransactionContext,
} from '@lucy/messaging';
import { InjectConfig } from '@lucy/platform';
import { RuntimeConfig } from '@lucy/runtime-config';
import type { TeamsConfig } from '../config.js';
import type { RuntimeKey } from '../runtime-keys.js';
import { creadaDesde, creadaPorEsteOnboarding, upnDefinitivo, type EstadoCuenta } from '../domain/cuenta.js';
import { perfilDe } from '../domain/perfil.js';
import { aliasDe, upnDesde } from '../domain/upn.js';
import { GraphClient, type GraphUser, type NewGraphUser } from '../graph/graph.client.js';
import { CuentaRepository } from '../persistence/cuenta.repository.js';
import type { CuentaEntity } from '../persistence/cuenta.entity.js';
import { UsuarioCreadoRepository } from '../persistence/usuario-creado.repository.js';
import { Credenciales, type Credencial } from './credenciales.js';

interface Intento {
  alumnoId: string;
  alumno: AlumnoDatos;
  /** The row's UPN; that of an unrecorded account of ours (sinRegistrar) replaces it. */
  upn: string;
  estadoPrevio: EstadoCuenta | null;
  /** Since when Lucy may have created an account for the student that it never recorded; null once the row's UPN is definitive. */
  sinRegistrarDesde: string | null;
  /** When the onboarding began (the event's occurredAt): accounts created after it are this onboarding's. */
  desde: string;
  ultimoIntento: boolean;
  /** The Graph user this attempt holds, so a failure can record an account left behind: null once deleted again, undefined while unknown. */
  graphUserId?: string | null;
  /** That user was created by this onboarding (not found existing): set with graphUserId. */
  nuestra?: boolean;
}

/** What a failed onboarding left in Entra, as CuentaTeamsFallida reports it. */
interface Dejada {
  graphUserId: string;
  deshabilitada: boolean;
}

interface Asegurada {
  user: GraphUser;
  nuestra: boolean;
  credencial: Credencial;
}

@Injectable()
export class AprovisionarCuenta {
  constructor(
    private readonly graph: GraphClient,
    private readonly credenciales: Credenciales,
    @InjectConfig() private readonly config: TeamsConfig,
    private readonly runtime: RuntimeConfig<RuntimeKey>,
    private readonly creados: UsuarioCreadoRepository,
    private readonly cuentas: CuentaRepository,
  ) {}

  async ejecutar(evento: AlumnoCreado, ctx: OwnTransactionContext): Promise<void> {
    const { alumnoId, alumno } = evento;
    let upn: string | null = null;
    let cuenta: CuentaEntity | undefined;
    let intento: Intento | undefined;
    // If the onboarding fails for good (the handler's onFailure), what it left is recorded and reported.
    ctx.onFailure<CuentaTeamsFallida>((fallo) => this.alFallar(ctx, { alumnoId, upn, cuenta, intento }, fallo));
    // The row's UPN once an account exists under it, whatever the pattern says now; otherwise today's
    // pattern, reserved (committed) before Graph is asked for it, so no other student can take it meanwhile.
    cuenta = await ctx.transaction(async (m) => {
      const c =
        (await this.cuentas.leer(m, alumnoId)) ??
        (await this.cuentas.reservar(m, alumnoId, (upn = this.upnDe(alumno))));
      if (!upnDefinitivo(c) && c.upn !== (upn ??= this.upnDe(alumno))) {
        await this.cuentas.cambiarUpn(m, c, upn);
        await this.cuentas.guardar(m, c);
      }
      return c;
    });
    const definitivo = upnDefinitivo(cuenta);
    const desde = ctx.envelope.occurredAt;
    intento = {
      alumnoId,
      alumno,
      upn: cuenta.upn,
      estadoPrevio: cuenta.estado === 'pendiente' ? null : cuenta.estado,
      sinRegistrarDesde: definitivo
        ? null
        : new Date(Math.min(cuenta.createdAt.getTime(), Date.parse(desde))).toISOString(),
      desde,
      ultimoIntento: ctx.isLastAttempt,
    };
    const { user, nuestra, credencial } = await this.asegurar(intento);
    const creadaPorLucy = nuestra || (user.id === cuenta.graphUserId && cuenta.creadaPorLucy);
    Object.assign(cuenta, {
      upn: intento.upn,
      estado: 'activa',
      graphUserId: user.id,
      creadaPorLucy,
      credencialVersion: cuenta.credencialVersion + 1,
      ultimoError: null,
    });
    ctx.publish(CuentaTeamsCreada, {
      alumnoId,
      upn: cuenta.upn,
      graphUserId: user.id,
      existente: !nuestra,
      credencial: credencial.sellada,
      credencialVersion: cuenta.credencialVersion,
      alumno,
    });
    await ctx.commit((m) => this.registrar(m, cuenta!));
  }

  /**
   * The onboarding failed for good. An account that was working stays as it was; a new one is recorded as
   * failed, with what is left in Graph (after a deletion, the deleted user is not what is left: only one
   * this attempt found or made), and a user of ours left behind is disabled before the event names it.
   */
  private async alFallar(
    ctx: OwnTransactionContext,
    {
      alumnoId,
      upn,
      cuenta,
      intento,
    }: { alumnoId: string; upn: string | null; cuenta?: CuentaEntity; intento?: Intento },
    fallo: Fallo,
  ): Promise<FailureNote<CuentaTeamsFallida>> {
    let dejada: Dejada | null = null;
    if (cuenta) {
      const previo = intento?.estadoPrevio;
      if (!previo || previo === 'fallida' || previo === 'eliminada') {
        // What an earlier attempt created is in its note (it never committed its last transaction); Graph
        // is asked only when there is none, since Graph may be what keeps failing.
        if (intento?.graphUserId === undefined && intento?.sinRegistrarDesde) {
          const desde = intento.sinRegistrarDesde;
          const nota = await ctx.transaction((m) => this.creados.ultimoDesde(m, alumnoId, desde));
          if (nota) Object.assign(intento, { graphUserId: nota.graphUserId, upn: nota.upn, nuestra: true });
          else await this.buscarDejada(intento, fallo);
        }
        const graphUserId =
          intento?.graphUserId === undefined
            ? previo === 'eliminada'
              ? null
              : cuenta.graphUserId
            : intento.graphUserId;
        const creadaPorLucy =
          graphUserId !== null && (!!intento?.nuestra || (graphUserId === cuenta.graphUserId && cuenta.creadaPorLucy));
        Object.assign(cuenta, { upn: intento?.upn ?? cuenta.upn, estado: 'fallida', graphUserId, creadaPorLucy });
        if (graphUserId && creadaPorLucy)
          dejada = { graphUserId, deshabilitada: await this.deshabilitar(graphUserId, fallo) };
      }
      cuenta.ultimoError = fallo.motivo;
    }
    return {
      fields: { upn: cuenta?.upn ?? upn, ...dejada },
      write: async (m) => cuenta && (await this.registrar(m, cuenta)),
    };
  }

  /** The row as this attempt leaves it; the notes of users created for the student have done their job. */
  private async registrar(m: EntityManager, cuenta: CuentaEntity): Promise<void> {
    await this.cuentas.guardar(m, cuenta);
    await this.creados.olvidar(m, cuenta.alumnoId);
  }

  /**
   * The failure path's first duty: an account of ours must not stay able to sign in with a password no
   * one received. Best effort, once: if Graph refuses now, the event says so and the saga's undo (which
   * retries) deletes it.
   */
  private async deshabilitar(id: string, fallo: { motivo: string }): Promise<boolean> {
    try {
      await this.graph.updateUser(id, { accountEnabled: false }, { justWritten: true });
      fallo.motivo = recortarMotivo(`${fallo.motivo}; the account ${id} was disabled`);
      return true;
    } catch (err) {
      fallo.motivo = recortarMotivo(
        `${fallo.motivo}; the account ${id} could not be disabled yet (${describeError(err)})`,
      );
      return false;
    }
  }

  /**
   * The attempt failed before it learnt whether an earlier one had created the user (the row died with
   * that attempt's transaction): look once more, as a retry would, so a user left behind is reported too.
   * If Graph cannot answer, the reason says so: the next onboarding of the student finds and adopts it.
   */
  private async buscarDejada(intento: Intento, fallo: { motivo: string }): Promise<void> {
    try {
      const user = (await this.graph.findUser(intento.upn)) ?? (await this.sinRegistrar(intento));
      if (user && creadaDesde(user.createdDateTime, intento.sinRegistrarDesde!))
        Object.assign(intento, { graphUserId: user.id, nuestra: true });
    } catch (err) {
      fallo.motivo = recortarMotivo(
        `${fallo.motivo}; whether an earlier attempt left an account could not be checked (${describeError(err)})`,
      );
    }
  }

  private upnDe(alumno: AlumnoDatos): string {
    try {
      const { patron, dominio } = this.runtime.get('upn');
      return upnDesde(patron, alumno, dominio);
    } catch (err) {
      throw new PermanentError((err as Error).message, 'upn-invalido');
    }
  }

  private async asegurar(intento: Intento): Promise<Asegurada> {
    const credencial = this.credenciales.emitir(intento.alumnoId);
    let user = (await this.graph.findUser(intento.upn)) ?? (await this.sinRegistrar(intento));
    let creadaAhora = false;
    let porConflicto = false;
    if (!user) {
      const r = await this.graph.createUser(this.nuevoUsuario(intento, credencial.password));
      if ('created' in r) {
        user = r.created;
        creadaAhora = true;
        await this.creados.anotar(intento.alumnoId, user.id, intento.upn);
      } else {
        // Taken between our lookup and our create (another replica, or Graph's read lagging our earlier write): use it.
        porConflicto = true;
        user = await this.graph.findUser(r.conflict.id ?? intento.upn, { justWritten: true });
        if (!user)
          throw new TransientError(
            `the UPN ${intento.upn} is taken but its user cannot be read yet`,
            'graph-replication',
          );
      }
    }
    intento.graphUserId = user.id;
    const nuestra =
      creadaAhora ||
      creadaPorEsteOnboarding({
        estadoPrevio: intento.estadoPrevio,
        creadaEn: user.createdDateTime,
        onboardingDesde: intento.desde,
      });
    intento.nuestra = nuestra;
    const recienEscrita = creadaAhora || porConflicto || nuestra;

    let usageLocationPuesta = false;
    // A user we just created has the usageLocation we sent, though POST /users does not echo it (its
    // answer is Graph's default projection): one write less per student against Entra's write quota.
    if (!user.usageLocation && !creadaAhora) {
      await this.graph.updateUser(
        user.id,
        { usageLocation: this.config.USAGE_LOCATION },
        { justWritten: recienEscrita },
      );
      usageLocationPuesta = true;
    }
    await this.licenciar(user, intento, nuestra, { justWritten: recienEscrita || usageLocationPuesta });
    // Last, so a licence refused for good does not change a password nobody will receive.
    if (!creadaAhora) {
      await this.graph.updateUser(
        user.id,
        {
          accountEnabled: true,
          passwordProfile: { password: credencial.password, forceChangePasswordNextSignIn: true },
        },
        { justWritten: recienEscrita },
      );
    }
    return { user, nuestra, credencial };
  }

  /**
   * An account Lucy created for the student but never recorded (the attempt died before its commit, or
   * failed not knowing Graph had created it), found by employeeId under the UPN an earlier pattern gave.
   * Only one created since the row's UPN could be undecided: an older user with the same employeeId (say
   * a staff account) is someone else's, and the student gets their own.
   */
  private async sinRegistrar(intento: Intento): Promise<GraphUser | null> {
    const desde = intento.sinRegistrarDesde;
    if (!desde) return null;
    const user = (await this.graph.findUsersByEmployeeId(intento.alumno.dni)).find((u) =>
      creadaDesde(u.createdDateTime, desde),
    );
    if (user) intento.upn = user.userPrincipalName.toLowerCase();
    return user ?? null;
  }

  /** The configured licence; an account of ours that cannot get it for good is deleted again (local compensation). */
  private async licenciar(
    user: GraphUser,
    intento: Intento,
    nuestra: boolean,
    opts: { justWritten: boolean },
  ): Promise<void> {
    const sku = this.runtime.get('licenciaSku').toLowerCase();
    const licencias = user.assignedLicenses ?? [];
    if (licencias.some((l) => l.skuId.toLowerCase() === sku)) return;
    // An account we delivered before keeps the licence it has: a new licenciaSku is for new accounts, and
    // moving the existing ones is an operator's migration, not a side effect of a repeated AlumnoCreado.
    if ((intento.estadoPrevio === 'activa' || intento.estadoPrevio === 'deshabilitada') && licencias.length) return;
    try {
      await this.graph.assignLicense(user.id, sku, opts);
    } catch (err) {
      // A deferral (breaker open, no rate slot) is not a verdict on the licence: the message comes back.
      const definitivo = err instanceof PermanentError || (intento.ultimoIntento && !isDeferral(err));
      if (!nuestra || !definitivo) throw err;
      throw await this.eliminarNuestra(user.id, intento, err as Error);
    }
  }

  private async eliminarNuestra(id: string, intento: Intento, causa: Error): Promise<Error> {
    try {
      await this.graph.deleteUser(id, { justWritten: true });
      intento.graphUserId = null;
      return conNota(causa, 'the account was deleted again');
    } catch (err) {
      return conNota(
        causa,
        `the account ${id} could not be deleted again (${(err as Error).message}); delete it by hand or with EliminarCuentaTeams`,
      );
    }
  }

  private nuevoUsuario(intento: Intento, password: string): NewGraphUser {
    const { alumno, upn } = intento;
    return {
      accountEnabled: true,
      // displayName, names, department and employeeId = DNI, the key that does not depend on the UPN pattern (sinRegistrar).
      ...perfilDe(alumno),
      mailNickname: aliasDe(upn),
      userPrincipalName: upn,
      usageLocation: this.config.USAGE_LOCATION,
      passwordProfile: { password, forceChangePasswordNextSignIn: true },
    };
  }
}

/** The same kind of error (so it is reported the same way) with what the compensation did. */
function conNota(err: Error, nota: string): Error {
  const message = `${err.message}; ${nota}`;
  if (err instanceof PermanentError) return new PermanentError(message, err.code);
  if (err instanceof TransientError) return new TransientError(message, err.code, { retryAfterMs: err.retryAfterMs });
  return new Error(message);
}
