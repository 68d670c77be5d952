// OneRoster's error payload: a statusInfoSet of imsx_StatusInfo (IMS OneRoster 1.1 REST binding,
// "Status Codes" / imsx_StatusInfo: imsx_codeMajor, imsx_severity, imsx_description and imsx_CodeMinor
// whose imsx_codeMinorField carries the code minor: invalid_filter_field, invalid_selection_field,
// invaliddata, unauthorisedrequest, forbidden, unknownobject, server_busy, internal_server_error).
import type { Response } from 'express';

export type CodeMinor =
  | 'invalid_filter_field'
  | 'invalid_selection_field'
  | 'invalid_sort_field'
  | 'invaliddata'
  | 'unauthorisedrequest'
  | 'forbidden'
  | 'unknownobject'
  | 'server_busy'
  | 'internal_server_error';

export function statusInfoSet(codeMinor: CodeMinor, description: string) {
  return {
    statusInfoSet: [
      {
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_description: description,
        imsx_CodeMinor: {
          imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: codeMinor }],
        },
      },
    ],
  };
}

export function sendStatus(res: Response, http: number, codeMinor: CodeMinor, description: string): void {
  res
    .status(http)
    .type('application/json')
    .send(JSON.stringify(statusInfoSet(codeMinor, description)));
}
