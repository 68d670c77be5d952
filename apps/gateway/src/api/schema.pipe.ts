// Every @Body / @Query / @Param that names a zod schema (`@Body({ schema })`) is validated and parsed here;
// a failure is a 400 naming each bad field and where it was (body, query, path). The same schema
// documents the parameter in the OpenAPI document (@nestjs/swagger reads Standard Schema).
//
// No request body carries a secret (the Graph secret, the Moodle token, SMTP or SIAL passwords live in
// each service's environment): a body with a key that names one is refused with that reason, before
// the schema would call it merely an unknown key.
import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { secretKeyPaths } from './secret-keys.js';
import './zod-es.js';

const DONDE: Record<string, string> = { body: 'cuerpo', query: 'consulta', param: 'ruta', custom: 'valor' };

@Injectable()
export class SchemaPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const schema = metadata.schema;
    if (!schema) return value;
    if (metadata.type === 'body') {
      const secretos = secretKeyPaths(value);
      if (secretos.length) {
        throw new BadRequestException({
          message: `los secretos no se guardan ni se muestran aquí (${secretos.slice(0, 10).join(', ')}): configuralos en el entorno de cada servicio (GRAPH_CLIENT_SECRET, MOODLE_TOKEN, SMTP_PASSWORD, SIAL_PASSWORD, o su variante _FILE)`,
          problemas: secretos.slice(0, 20).map((campo) => ({
            campo,
            mensaje: 'un secreto no va en el cuerpo: se configura en el entorno del servicio',
          })),
        });
      }
    }
    const result = await schema['~standard'].validate(value ?? (metadata.type === 'body' ? {} : value));
    if (!result.issues) return result.value;
    const donde = DONDE[metadata.type] ?? metadata.type;
    const problemas = result.issues.slice(0, 20).map((i) => ({
      campo: (i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || metadata.data || donde,
      mensaje: i.message,
    }));
    // `problemas` goes out as a problem+json extension: a client can put each message beside its field.
    throw new BadRequestException({
      message: `${donde} no válido: ${problemas.map((p) => `${p.campo}: ${p.mensaje}`).join('; ')}`,
      problemas,
    });
  }
}
