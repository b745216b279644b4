/**
 * The error catalogue: every HTTP error the product itself produces has a stable code from this
 * table, an HTTP status and the JSON shape {"error":{"code","message",...details}}.
 * docs/errors.md documents each code; test/common/errors.test.ts keeps the two in step.
 */

export interface ErrorDefinition {
  status: number;
  /** One line for docs/errors.md: when the code is used. */
  summary: string;
}

export const ERROR_CATALOGUE = {
  BadRequest: { status: 400, summary: 'The request is malformed: a bad parameter, body or header.' },
  InvalidConfigurationString: { status: 400, summary: 'A configuration string is malformed; the message names the bad part.' },
  NotFound: { status: 404, summary: 'No route matches the request path.' },
  MethodNotAllowed: { status: 405, summary: 'The path exists but not for this HTTP method.' },
  HybridConnectionNotFound: { status: 404, summary: 'The listener has no connector for this hybrid connection.' },
  ConnectorUnreachable: { status: 502, summary: 'The connector site refused the connection or closed it before answering.' },
  ConnectorTimeout: { status: 504, summary: 'The connector site did not answer within HCM_CONNECTOR_TIMEOUT_MS.' },
  WebSocketNotSupported: { status: 501, summary: 'A WebSocket sender reached a hybrid connection that only serves HTTP.' },
  ShuttingDown: { status: 503, summary: 'The site is stopping and takes no new calls.' },
  TableNotFound: { status: 404, summary: 'The table does not exist or is not in the connector\'s allowed tables.' },
  ProcedureNotFound: { status: 404, summary: 'The stored procedure does not exist or is not in the connector\'s allowed procedures.' },
  ItemNotFound: { status: 404, summary: 'No row has the given key.' },
  ObjectNotFound: { status: 404, summary: 'SQL Server error 208: an object named in the statement does not exist.' },
  ColumnNotFound: { status: 400, summary: 'A column named in the request does not exist in the table.' },
  InvalidQueryOption: { status: 400, summary: 'A $filter, $orderby, $select, $top, $skip or key segment cannot be parsed.' },
  InvalidWhereClause: { status: 400, summary: 'A 2015 whereClause uses anything beyond AND, OR, comparisons, LIKE, parentheses and literals.' },
  UniqueViolation: { status: 409, summary: 'SQL Server error 2627/2601: a row with the same unique key exists.' },
  ForeignKeyViolation: { status: 409, summary: 'SQL Server error 547: the change breaks a foreign-key or check constraint.' },
  Deadlock: { status: 409, summary: 'SQL Server error 1205: the database chose this call as a deadlock victim and rolled it back (nothing changed); retry after Retry-After.' },
  NullNotAllowed: { status: 400, summary: 'SQL Server error 515: NULL into a NOT NULL column.' },
  PayloadTooLarge: { status: 413, summary: 'The request body is larger than the connector\'s maxRequestBytes.' },
  UnsupportedMediaType: { status: 415, summary: 'The request body has a Content-Encoding or charset the connector cannot read (gzip, deflate, br and UTF-8 are read).' },
  QueryTimeout: { status: 504, summary: 'The database did not finish within requestTimeoutMs.' },
  DatabaseUnavailable: { status: 503, summary: 'The database refused the login, cannot be reached, or reported a resource or fatal error (class 17 and above); retry after Retry-After.' },
  QueryDisabled: { status: 403, summary: 'POST /query is off for this connector (allowQuery is false).' },
  QueryNotAllowed: { status: 400, summary: 'The /query statement is outside the allow-lists (statement type, tables, procedures).' },
  PermissionDenied: { status: 403, summary: 'SQL Server error 229/230/262/297/300: the connector\'s SQL login lacks a permission the call needs.' },
  SqlError: { status: 400, summary: 'Any other SQL Server error of class 11–16 (caused by the statement or its values); sqlErrorNumber holds its number.' },
  InternalError: { status: 500, summary: 'An unexpected failure in the product; the log has the details.' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export type ErrorDetails = Record<string, string | number | boolean | null | undefined>;

export interface ErrorBody {
  error: { code: ErrorCode; message: string } & ErrorDetails;
}

/** An error that knows how it is rendered over HTTP. */
export class HcmError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HcmError';
    this.status = ERROR_CATALOGUE[code].status;
  }

  toJSON(): ErrorBody {
    const details: ErrorDetails = {};
    for (const [name, value] of Object.entries(this.details)) {
      if (value !== undefined) details[name] = value;
    }
    return { error: { ...details, code: this.code, message: this.message } };
  }
}

export function isHcmError(value: unknown): value is HcmError {
  return value instanceof HcmError;
}

/** Named constructors: the only way product code makes an HcmError. */
export const errors = {
  badRequest: (message: string, details?: ErrorDetails) => new HcmError('BadRequest', message, details),
  invalidConfigurationString: (message: string, part?: string) =>
    new HcmError('InvalidConfigurationString', message, { part }),
  notFound: (path: string) => new HcmError('NotFound', `No resource at ${path}.`, { path }),
  methodNotAllowed: (method: string, path: string) =>
    new HcmError('MethodNotAllowed', `${method} is not allowed on ${path}.`, { method, path }),
  hybridConnectionNotFound: (hybridConnection: string) =>
    new HcmError('HybridConnectionNotFound', `No connector is set up for hybrid connection '${hybridConnection}'.`, {
      hybridConnection,
    }),
  connectorUnreachable: (connector: string, reason: string) =>
    new HcmError('ConnectorUnreachable', `Connector ${connector} could not be reached: ${reason}.`, { connector }),
  connectorTimeout: (connector: string, timeoutMs: number) =>
    new HcmError('ConnectorTimeout', `Connector ${connector} did not answer within ${timeoutMs} ms.`, {
      connector,
      timeoutMs,
    }),
  webSocketNotSupported: (hybridConnection: string) =>
    new HcmError(
      'WebSocketNotSupported',
      `Hybrid connection '${hybridConnection}' serves HTTP requests only; WebSocket senders are not supported.`,
      { hybridConnection },
    ),
  shuttingDown: (site: string) =>
    new HcmError('ShuttingDown', `${site} is shutting down and takes no new calls.`, { site }, { 'Retry-After': '5' }),
  tableNotFound: (table: string) =>
    new HcmError('TableNotFound', `Table '${table}' does not exist or is not allowed on this connector.`, { table }),
  procedureNotFound: (procedure: string) =>
    new HcmError('ProcedureNotFound', `Stored procedure '${procedure}' does not exist or is not allowed on this connector.`, {
      procedure,
    }),
  itemNotFound: (table: string, key: string) =>
    new HcmError('ItemNotFound', `No row in '${table}' has the key ${key}.`, { table, key }),
  internal: (message = 'An unexpected error occurred; see the site log.') => new HcmError('InternalError', message),
};

/**
 * Renders any thrown value as the catalogue's JSON shape: an HcmError as it is; an error a library
 * already classified as the client's fault (http-errors' 4xx `status`, as Express sets on a bad
 * percent-encoding and body-parser on a corrupt body) keeps its 4xx under a catalogue code; anything
 * else is our bug: InternalError. The library's own message is never echoed (it may quote input).
 */
export function toHcmError(error: unknown): HcmError {
  if (isHcmError(error)) return error;
  return clientError(error) ?? errors.internal();
}

const CLIENT_MESSAGES: Record<number, string> = {
  400: 'The request is malformed (bad percent-encoding, body or header).',
  413: 'The request body is too large.',
  415: 'The request body has an encoding or charset that cannot be read.',
};

/** The catalogue error for a library error that carries a 4xx status, or undefined. */
function clientError(error: unknown): HcmError | undefined {
  const candidate = error as { status?: unknown; statusCode?: unknown } | null | undefined;
  const status = Number(candidate?.status ?? candidate?.statusCode);
  if (!Number.isInteger(status) || status < 400 || status > 499) return undefined;
  if (status === 413) return new HcmError('PayloadTooLarge', CLIENT_MESSAGES[413]);
  if (status === 415) return new HcmError('UnsupportedMediaType', CLIENT_MESSAGES[415]);
  if (status === 404) return new HcmError('NotFound', 'No resource at this path.');
  if (status === 405) return new HcmError('MethodNotAllowed', 'The method is not allowed on this path.');
  // Any other 4xx a library raises (400, 403 verify, 411, 431, …) is a malformed request.
  return errors.badRequest(CLIENT_MESSAGES[400]);
}
