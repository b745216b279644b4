/**
 * The last middleware and the one place an error becomes a response: renders every error as the
 * catalogue's JSON ({"error":{code,message,…}}) with its status and headers (Retry-After). Body-parser
 * failures get their own messages (413 PayloadTooLarge with the limit, 400 for JSON that does not
 * parse, 415 UnsupportedMediaType); any other library error with a 4xx status keeps it (toHcmError);
 * what is left is our bug: 500 InternalError, logged with the original error. A response whose headers
 * already went out is cut.
 */
import type { NextFunction, Request, Response } from 'express';
import { HcmError, errors, isHcmError, toHcmError } from '../../../common/errors';
import type { Logger } from '../../../common/logger';
import { sqlErrors } from '../errors';
import { correlationId } from './correlation';

interface BodyParserError {
  type?: string;
  limit?: number;
  status?: number;
}

export function toResponseError(error: unknown, limit: number): HcmError {
  if (isHcmError(error)) return error;
  const parserError = error as BodyParserError;
  if (parserError?.type === 'entity.too.large') return sqlErrors.payloadTooLarge(parserError.limit ?? limit);
  if (parserError?.type === 'entity.parse.failed') return errors.badRequest('The request body is not valid JSON.');
  if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported') {
    return new HcmError('UnsupportedMediaType', 'The request body must be UTF-8 JSON, plain or with Content-Encoding gzip, deflate or br.');
  }
  if (parserError?.type === 'request.aborted') return errors.badRequest('The client aborted the request body.');
  if (error instanceof URIError) return errors.badRequest('The request path has invalid percent-encoding.');
  return toHcmError(error);
}

export function errorHandler(logger: Logger, limit: () => number) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const hcmError = toResponseError(error, limit());
    if (hcmError.code === 'InternalError') logger.error({ err: error, correlationId: correlationId(req) }, 'unexpected failure');
    else logger.debug({ code: hcmError.code, correlationId: correlationId(req) }, hcmError.message);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(hcmError.headers)) res.setHeader(name, value);
    res.status(hcmError.status).json(hcmError.toJSON());
  };
}
