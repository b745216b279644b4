/** `hcm token`: signs a SAS token for a hybrid connection (for curl, or any HTTP sender). */
import { parseConfigurationString } from '../../config/connection-string';
import { isHcmError } from '../../common/errors';
import { createHybridConnectionToken } from '../../relay/uris';
import { Command, EXIT_OK, integerOption, readStdin, stringOption, UsageError } from '../command';

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Print a SAS token for a hybrid connection (ServiceBusAuthorization header value).',
  help: `Usage: hcm token (--config-string S | --config-string-stdin) [--lifetime SECONDS]

Signs a Shared Access Signature token for the hybrid connection a configuration string names,
with the string's key, and prints it alone on one line. Send it as the ServiceBusAuthorization
header. The key is used only to sign; it is never printed.

Options:
  --config-string S        the connection string (prefer --config-string-stdin: keeps the key out of shell history)
  --config-string-stdin    read the connection string from standard input
  --lifetime SECONDS       token lifetime (default 3600, at most 31536000)
  --home DIR               ignored (accepted by every command)
  -h, --help               show this help`,
  options: {
    'config-string': { type: 'string' },
    'config-string-stdin': { type: 'boolean' },
    lifetime: { type: 'string' },
  },
  async run(context) {
    const lifetimeSeconds = integerOption(context, 'lifetime', 1, 31_536_000) ?? 3600;
    const text = context.options['config-string-stdin'] ? (await readStdin(context.stdin)).trim() : stringOption(context, 'config-string');
    if (text === undefined) throw new UsageError('Give --config-string S or --config-string-stdin.');
    let parsed;
    try {
      parsed = parseConfigurationString(text);
    } catch (error) {
      throw new UsageError(isHcmError(error) ? error.message : String(error));
    }
    if (parsed.sharedAccessSignature !== undefined) {
      context.print(parsed.sharedAccessSignature);
      return EXIT_OK;
    }
    context.print(createHybridConnectionToken(parsed, parsed.keyName!, parsed.key!, { lifetimeSeconds }));
    return EXIT_OK;
  },
};
