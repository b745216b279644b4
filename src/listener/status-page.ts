/**
 * GET / — a small self-contained HTML page: each hybrid connection with its state in green
 * (Connected) or red (anything else), since when, its relay endpoint, how many listeners the relay
 * reports for it (all managers), calls in the last minute, the call counters and the last error.
 * It reloads itself (every 5 s by default, HCM_STATUS_REFRESH_S) and runs no script.
 */
import type { HybridConnectionStatus } from './hybrid-connection-entry';

export const STATUS_COLOURS = { up: '#107c10', down: '#c50f1f' } as const;

export interface StatusPageOptions {
  /** Seconds between reloads (default 5). */
  refreshSeconds?: number;
  now?: Date;
}

export function renderStatusPage(siteName: string, connections: HybridConnectionStatus[], options: StatusPageOptions = {}): string {
  const now = options.now ?? new Date();
  const refresh = Math.max(1, Math.round(options.refreshSeconds ?? 5));
  const rows = connections.map(renderRow).join('\n');
  const body = connections.length === 0
    ? '<p class="empty">No hybrid connection is set up yet. Run <code>hcm setup</code> with a configuration string.</p>'
    : `<table>
<thead><tr><th>Hybrid connection</th><th>Connector site</th><th>State</th><th>Since</th><th>Relay endpoint</th><th>Listeners</th><th>Calls/min</th><th>Calls</th><th>Failed</th><th>Last error</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${refresh}">
<title>${escapeHtml(siteName)} — Hybrid Connection Manager</title>
<style>
body { font-family: "Segoe UI", system-ui, sans-serif; margin: 2rem; color: #201f1e; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: .4rem .8rem; border-bottom: 1px solid #e1dfdd; vertical-align: top; }
.state { display: inline-block; min-width: 7.5rem; padding: .15rem .6rem; border-radius: .8rem; color: #fff; font-weight: 600; }
.state.up { background-color: ${STATUS_COLOURS.up}; }
.state.down { background-color: ${STATUS_COLOURS.down}; }
.error { color: #605e5c; max-width: 40rem; }
.endpoint { font-family: Consolas, monospace; font-size: .9em; }
.since, .endpoint { white-space: nowrap; }
.listeners, .per-minute, .total, .failed { text-align: right; }
</style>
</head>
<body>
<h1>${escapeHtml(siteName)}</h1>
<p>Hybrid Connection Manager listener — ${connections.length} hybrid connection(s), page made ${escapeHtml(now.toISOString())}, reloads every ${refresh} s.
Listeners counts every manager listening on the hybrid connection, as the relay reports it (— until it has).</p>
${body}
</body>
</html>
`;
}

function renderRow(connection: HybridConnectionStatus): string {
  const up = connection.state === 'Connected';
  return `<tr class="hybrid-connection" data-name="${escapeHtml(connection.name)}" data-state="${escapeHtml(connection.state)}">
<td class="name">${escapeHtml(connection.name)}</td>
<td class="connector">${escapeHtml(connection.connector)}</td>
<td><span class="state ${up ? 'up' : 'down'}">${escapeHtml(connection.state)}</span></td>
<td class="since">${escapeHtml(connection.since)}</td>
<td class="endpoint">${escapeHtml(connection.relayEndpoint)}</td>
<td class="listeners">${connection.listeners === null ? '—' : connection.listeners}</td>
<td class="per-minute">${connection.callsPerMinute}</td>
<td class="total">${connection.requests.total}</td>
<td class="failed">${connection.requests.failed}</td>
<td class="error">${escapeHtml(connection.lastError ?? '')}</td>
</tr>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
