/** GET /openapi.json (OpenAPI 3), /apiapp.json and /swagger/docs/v1 (the 2015 API-app metadata). */
import { Router } from 'express';
import { ConnectorContext } from '../context';
import { baseLocation, linkTo } from '../http/links';
import { openApiDocument } from '../metadata/openapi';
import { API_VERSION, apiAppDocument, swaggerDocument } from '../metadata/swagger2';

export function metadataRoutes(ctx: ConnectorContext): Router {
  const router = Router();
  router.get('/openapi.json', async (req, res) => {
    const { tables, procedures } = await ctx.allowed();
    const settings = ctx.settings;
    res.json(
      openApiDocument({
        title: `SQL connector ${ctx.siteName} (${settings.database})`,
        version: API_VERSION,
        serverUrl: baseLocation(req).base,
        tables,
        procedures,
        allowQuery: settings.allowQuery,
        pollConfigured: Boolean(settings.dataAvailableQuery && settings.pollDataQuery),
      }),
    );
  });
  router.get('/apiapp.json', (req, res) => {
    res.json(apiAppDocument(linkTo(req, '/swagger/docs/v1')));
  });
  router.get('/swagger/docs/v1', async (req, res) => {
    const { tables, procedures } = await ctx.allowed();
    const location = baseLocation(req);
    const settings = ctx.settings;
    res.json(
      swaggerDocument({
        host: location.host,
        scheme: location.proto,
        basePath: location.prefix,
        tables,
        procedures,
        pollConfigured: Boolean(settings.dataAvailableQuery && settings.pollDataQuery),
      }),
    );
  });
  return router;
}
