/** GET / (and HEAD /): IIS's 403.14 page, as the 2015 connector site answered — the "site is up" signal. */
import { Router } from 'express';
import { forbiddenPage } from '../http/forbidden-page';

export function rootRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const host = typeof req.headers.host === 'string' ? req.headers.host : 'localhost';
    res.status(403).type('text/html; charset=utf-8').send(forbiddenPage(`http://${host}${req.originalUrl}`));
  });
  return router;
}
