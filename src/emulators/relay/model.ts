/**
 * The emulator's vocabulary: rights, shared access rules and hybrid connection specifications, as
 * the Azure Relay resource model defines them (namespace rules plus hybrid connection rules).
 */

export type Right = 'Listen' | 'Send' | 'Manage';

export const RIGHTS: readonly Right[] = ['Listen', 'Send', 'Manage'];

export interface AuthorizationRule {
  name: string;
  rights: Right[];
  primaryKey: string;
  secondaryKey: string;
}

export interface HybridConnectionSpec {
  /** The entity path; may contain '/'. */
  name: string;
  /** false = senders need no token ("anonymous"); listeners always need one. Default true. */
  requiresClientAuthorization?: boolean;
  /** Rules that apply to this hybrid connection only. */
  authorizationRules?: AuthorizationRule[];
}

export type KeyType = 'PrimaryKey' | 'SecondaryKey';

/** Manage implies Listen and Send, as on the namespace rule RootManageSharedAccessKey. */
export function ruleGrants(rule: AuthorizationRule, right: Right): boolean {
  return rule.rights.includes(right) || rule.rights.includes('Manage');
}

const NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,258}[A-Za-z0-9])?$/;

/** Why a hybrid connection name is unusable, or undefined when it is fine (Azure's naming rules). */
export function hybridConnectionNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'is empty';
  if (!NAME_PATTERN.test(name)) {
    return 'must be 1-260 letters, digits, ".", "-", "_" or "/", starting and ending with a letter or digit';
  }
  if (name.includes('//')) return 'must not contain "//"';
  return undefined;
}

const RULE_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,254}[A-Za-z0-9])?$/;

export function ruleNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !RULE_NAME_PATTERN.test(name)) {
    return 'must be 1-256 letters, digits, ".", "-" or "_", starting and ending with a letter or digit';
  }
  return undefined;
}
