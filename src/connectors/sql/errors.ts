/**
 * The connector's named error constructors, over the shared catalogue's codes (src/common/errors.ts).
 * Messages name the bad input but never echo a value that could be a secret.
 */
import { HcmError } from '../../common/errors';

export const sqlErrors = {
  invalidQueryOption: (option: string, message: string, position?: number) =>
    new HcmError('InvalidQueryOption', `${option}: ${message}`, { option, position }),
  columnNotFound: (table: string, column: string, option?: string) =>
    new HcmError('ColumnNotFound', `Table '${table}' has no column '${truncate(column)}'.`, { table, column: truncate(column), option }),
  invalidWhereClause: (message: string) => new HcmError('InvalidWhereClause', `whereClause: ${message}`),
  badBody: (message: string) => new HcmError('BadRequest', message),
  queryDisabled: () =>
    new HcmError('QueryDisabled', 'POST /query is turned off for this connector; set allowQuery in its settings to turn it on.'),
  queryNotAllowed: (reason: string) => new HcmError('QueryNotAllowed', `The query is not allowed: ${reason}`, { reason }),
  payloadTooLarge: (limit: number) =>
    new HcmError('PayloadTooLarge', `The request body is larger than this connector's limit of ${limit} bytes (maxRequestBytes).`, { limit }),
  notConfigured: (site: string) =>
    new HcmError(
      'DatabaseUnavailable',
      `No connector named '${site}' is in the manifest; run "hcm setup" or check HCM_SITE_NAME.`,
      { site },
      { 'Retry-After': '5' },
    ),
};

/** Keeps echoed request text short, so a message never carries a whole payload. */
export function truncate(text: string, max = 64): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
