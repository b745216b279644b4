/**
 * X-Correlation-Id (DESIGN "Forwarding headers"): kept from the caller when well-formed, made
 * otherwise, returned on every response and written on the access-log line of each call.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Logger, logAccess } from '../../../common/logger';

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationId(req: Request): string {
  return (req as Request & { correlationId?: string }).correlationId ?? '';
}

export function correlation(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.headers['x-correlation-id'];
    const id = typeof given === 'string' && VALID_ID.test(given) ? given : randomUUID();
    (req as Request & { correlationId?: string }).correlationId = id;
    res.setHeader('X-Correlation-Id', id);
    const started = process.hrtime.bigint();
    res.on('close', () => {
      const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
      const status = res.writableFinished ? res.statusCode : 499;
      logAccess(logger, { method: req.method, target: req.originalUrl.slice(0, 2048), status, ms, correlationId: id });
    });
    next();
  };
}
