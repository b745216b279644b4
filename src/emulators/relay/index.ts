/**
 * The local Azure Relay (Hybrid Connections) emulator: `hcm relay`, and tests' in-process relay.
 * It imports nothing from the product but src/common.
 */
export { RelayEmulator, parsePublicAddress } from './relay-emulator';
export type { RelayEmulatorOptions, ConnectionStringOptions } from './relay-emulator';
export {
  ROOT_RULE_NAME,
  DEV_PRIMARY_KEY,
  DEV_SECONDARY_KEY,
  DEFAULT_RELAY_HOST,
  DEFAULT_RELAY_PORT,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  DEFAULT_TOKEN_GRACE_MS,
  MAX_LISTENERS_PER_HYBRID_CONNECTION,
} from './constants';
export type { AuthorizationRule, HybridConnectionSpec, KeyType, Right } from './model';
export { loadRelayConfigFile, parseRelayConfig, RelayConfigError } from './config-file';
export type { RelayConfigFile } from './config-file';
