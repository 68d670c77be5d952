// What one external function is: its parameter and return descriptions (execute_parameters /
// execute_returns in Moodle) and the code that runs once the parameters are validated.
import type { Desc, SingleDesc, Validated } from './moodle.description.js';
import type { ParamEnv } from './moodle.params.js';
import type { MoodleStore, MoodleUser } from './moodle.store.js';

export interface WsCall {
  store: MoodleStore;
  env: ParamEnv;
  /** The token's user ($USER): the admin in the stand-in. */
  userid: number;
  /** Functions the token's service allows, for core_webservice_get_site_info. */
  allowedFunctions: string[];
}

export interface WsFunction {
  name: string;
  parameters: SingleDesc;
  /** null: the function returns nothing and the REST server prints JSON null. */
  returns: Desc | null;
  execute(params: Record<string, Validated>, call: WsCall): unknown;
}

/** is_siteadmin(): the admin created at install (id 2) in the stand-in. */
export const isSiteAdmin = (u: MoodleUser) => u.id === 2;
export const isGuest = (u: MoodleUser) => u.id === 1;

/** fullname(): "firstname lastname" with the default fullnamedisplay setting. */
export const fullname = (u: MoodleUser) => `${u.firstname} ${u.lastname}`;

export const ROLES: Record<number, { shortname: string; sortorder: number; courseAssignable: boolean }> = {
  1: { shortname: 'manager', sortorder: 1, courseAssignable: true },
  2: { shortname: 'coursecreator', sortorder: 2, courseAssignable: false },
  3: { shortname: 'editingteacher', sortorder: 3, courseAssignable: true },
  4: { shortname: 'teacher', sortorder: 4, courseAssignable: true },
  5: { shortname: 'student', sortorder: 5, courseAssignable: true },
  6: { shortname: 'guest', sortorder: 6, courseAssignable: false },
  7: { shortname: 'user', sortorder: 7, courseAssignable: false },
  8: { shortname: 'frontpage', sortorder: 8, courseAssignable: false },
};
