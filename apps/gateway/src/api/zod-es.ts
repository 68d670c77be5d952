// The API's users read Spanish (the dashboard puts these messages beside the field they name): zod's
// own messages ("se esperaba número, recibido texto") in Spanish, for the whole gateway process. Our own
// messages are written in Spanish where they are declared.
import { z } from 'zod';

z.config(z.locales.es());
