// A temporary password and its sealed copy for mail-service. The clear password leaves this object only
// to go to Graph; what is published and everything stored is the sealed form (SecretBox, bound to the
// student's id, so a credential moved to another student fails to open).
import { Injectable, Logger } from '@nestjs/common';
import type { SealedSecret } from '@lucy/contracts';
import { InjectConfig, parseSecretKeys, SANDBOX_DEV_CREDENTIALS_KEY, SecretBox } from '@lucy/platform';
import type { TeamsConfig } from '../config.js';
import { generarPasswordTemporal } from '../domain/password.js';

/**
 * Used only against the local sandbox when CREDENTIALS_KEY is unset (config.ts refuses it for a real
 * Graph), so `npm start` works without setup. mail-service must hold the same key to open what we seal.
 */
export const DEV_CREDENTIALS_KEY = SANDBOX_DEV_CREDENTIALS_KEY;

export interface Credencial {
  /** For Graph only. */
  password: string;
  sellada: SealedSecret;
}

@Injectable()
export class Credenciales {
  private readonly box: SecretBox;
  private readonly longitud: number;

  constructor(@InjectConfig() config: Pick<TeamsConfig, 'CREDENTIALS_KEY' | 'PASSWORD_LENGTH'>) {
    if (!config.CREDENTIALS_KEY)
      new Logger('Credenciales').warn('CREDENTIALS_KEY is unset: sealing with the sandbox dev key');
    this.box = new SecretBox(parseSecretKeys(config.CREDENTIALS_KEY ?? DEV_CREDENTIALS_KEY));
    this.longitud = config.PASSWORD_LENGTH;
  }

  /** A fresh temporary password for the student, with its sealed copy. */
  emitir(alumnoId: string): Credencial {
    const password = generarPasswordTemporal(this.longitud);
    return { password, sellada: this.box.seal(password, alumnoId) };
  }
}
