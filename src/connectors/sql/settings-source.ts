/**
 * The connector's settings come from its entry in the installation manifest ($HCM_HOME/hcm.json,
 * key HCM_SITE_NAME) and are read again whenever the manifest changes (watchManifest polls, so a
 * change made by `hcm setup` reaches a running site within 2 s, without a restart).
 */
import type { Logger } from '../../common/logger';
import { Manifest } from '../../config/manifest';
import { readManifest } from '../../config/manifest-store';
import { ManifestWatcher, watchManifest } from '../../config/manifest-watcher';
import type { SqlConnectorSettings } from '../../config/sql-settings';

export function settingsFromManifest(manifest: Manifest, siteName: string): SqlConnectorSettings | undefined {
  const entry =
    manifest.connectors.find((c) => c.site === siteName) ?? manifest.connectors.find((c) => c.site.toLowerCase() === siteName.toLowerCase());
  return entry?.settings;
}

export function readSiteSettings(home: string, siteName: string): SqlConnectorSettings | undefined {
  return settingsFromManifest(readManifest(home), siteName);
}

/** Calls `onChange` with the site's settings (undefined when its entry is gone) after each manifest change. */
export function watchSiteSettings(
  home: string,
  siteName: string,
  onChange: (settings: SqlConnectorSettings | undefined) => void,
  logger: Logger,
  intervalMs?: number,
): ManifestWatcher {
  let last = JSON.stringify(readSafely(home, siteName, logger) ?? null);
  return watchManifest(
    home,
    (manifest) => {
      const settings = settingsFromManifest(manifest, siteName);
      const text = JSON.stringify(settings ?? null);
      if (text === last) return;
      last = text;
      logger.info({ site: siteName, configured: settings !== undefined }, 'connector settings changed; applying them');
      onChange(settings);
    },
    { intervalMs, onError: (error) => logger.error({ err: error }, 'the changed manifest is not valid; keeping the last good settings') },
  );
}

function readSafely(home: string, siteName: string, logger: Logger): SqlConnectorSettings | undefined {
  try {
    return readSiteSettings(home, siteName);
  } catch (error) {
    logger.error({ err: error }, 'cannot read the manifest');
    return undefined;
  }
}
