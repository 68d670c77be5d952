// Every external function the stand-in implements, by name (the rows of Moodle's external_functions table).
import type { WsFunction } from '../ws-function.js';
import { getCoursesByField } from './course.functions.js';
import { enrolUsers, unenrolUsers } from './enrol-manual.functions.js';
import { getEnrolledUsers } from './enrol.functions.js';
import { createUsers, deleteUsers, getUsersByField, updateUsers } from './user.functions.js';
import { getSiteInfo } from './webservice.functions.js';

export const WS_FUNCTIONS: ReadonlyMap<string, WsFunction> = new Map(
  [
    getSiteInfo,
    createUsers,
    getUsersByField,
    updateUsers,
    deleteUsers,
    getCoursesByField,
    enrolUsers,
    unenrolUsers,
    getEnrolledUsers,
  ].map((f) => [f.name, f]),
);
