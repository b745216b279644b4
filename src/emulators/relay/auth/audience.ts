/**
 * The audience check, as Azure compares a SAS token's `sr` with the entity: scheme and port
 * ignored, one trailing "/" and "$hc/" ignored, a parent path covers its children. Any host is
 * accepted: local clients sign "127.0.0.1:port", "localhost" or a made-up namespace.
 */
import { audienceCovers } from '../../../common/sas';

export function audienceAllows(resource: string, entityPath: string): boolean {
  return audienceCovers(resource, entityPath, undefined);
}
