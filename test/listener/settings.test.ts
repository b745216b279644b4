/**
 * The listener's settings from the environment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LISTENER_SETTINGS, listenerSettingsFromEnv } from '../../src/listener/settings';

describe('listener settings', () => {
  it('defaults to a 50 s connector timeout, below the relay\'s 60 s', () => {
    assert.deepEqual(listenerSettingsFromEnv({}), DEFAULT_LISTENER_SETTINGS);
    assert.equal(DEFAULT_LISTENER_SETTINGS.connectorTimeoutMs, 50_000);
  });

  it('reads every setting from its environment variable', () => {
    const settings = listenerSettingsFromEnv({ HCM_CONNECTOR_TIMEOUT_MS: '1500', HCM_SHUTDOWN_GRACE_MS: '0', HCM_RELAY_KEEPALIVE_MS: '20000', HCM_MANIFEST_POLL_MS: '100' });
    assert.equal(settings.connectorTimeoutMs, 1500);
    assert.equal(settings.shutdownGraceMs, 0);
    assert.equal(settings.keepAliveMs, 20_000);
    assert.equal(settings.manifestPollMs, 100);
  });

  it('names the variable when a value is not a whole number in range', () => {
    assert.throws(() => listenerSettingsFromEnv({ HCM_CONNECTOR_TIMEOUT_MS: '5s' }), /HCM_CONNECTOR_TIMEOUT_MS must be a whole number/);
    assert.throws(() => listenerSettingsFromEnv({ HCM_MANIFEST_POLL_MS: '60000' }), /HCM_MANIFEST_POLL_MS .* from 50 to 2000/);
    assert.throws(() => listenerSettingsFromEnv({ HCM_RELAY_TOKEN_LIFETIME_S: '600', HCM_RELAY_TOKEN_RENEW_MS: '600000' }), /expire before they are renewed/);
  });
});
