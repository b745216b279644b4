/**
 * The listener's Prometheus metrics, per hybrid connection (label `hybrid_connection`, its entity
 * path), every series also labelled with the site. docs/metrics.md lists them; a test keeps the
 * two in step. Gauges are read from the service when scraped; counters and the histogram are
 * updated as calls finish and connections drop.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HybridConnectionStatus } from './hybrid-connection-entry';
import { DURATION_BUCKETS_SECONDS } from '../common/metrics-endpoint';

const STATES = ['Connecting', 'Connected', 'Reconnecting', 'Failed'] as const;
/** Relayed calls last from milliseconds to the relay's 60 s limit. */

export interface ListenerMetricsOptions {
  siteName: string;
  /** The current hybrid connections, read at each scrape. */
  status: () => HybridConnectionStatus[];
  /** Also the process's own metrics (prom-client's process_* and nodejs_*); the site turns this on. */
  processMetrics?: boolean;
}

export interface FinishedCall {
  hybridConnection: string;
  status: number;
  seconds: number;
  requestBytes: number;
  responseBytes: number;
}

export class ListenerMetrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'hybrid_connection' | 'status'>;
  private readonly duration: Histogram<'hybrid_connection'>;
  private readonly requestBytes: Counter<'hybrid_connection'>;
  private readonly responseBytes: Counter<'hybrid_connection'>;
  private readonly reconnects: Counter<'hybrid_connection'>;

  constructor(options: ListenerMetricsOptions) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ site: options.siteName });
    new Gauge({
      name: 'hcm_hybrid_connection_state',
      help: 'The relay connection state: 1 for the current state of each hybrid connection, 0 for the others.',
      labelNames: ['hybrid_connection', 'state'],
      registers,
      collect() {
        this.reset();
        for (const hc of options.status()) for (const state of STATES) this.set({ hybrid_connection: hc.name, state }, hc.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'hcm_hybrid_connection_calls_in_flight',
      help: 'Relayed calls being forwarded now.',
      labelNames: ['hybrid_connection'],
      registers,
      collect() {
        this.reset();
        for (const hc of options.status()) this.set({ hybrid_connection: hc.name }, hc.inFlight);
      },
    });
    new Gauge({
      name: 'hcm_hybrid_connection_listeners',
      help: 'Listeners the relay reports for the hybrid connection (all managers, this one included); absent until the relay has said.',
      labelNames: ['hybrid_connection'],
      registers,
      collect() {
        this.reset();
        for (const hc of options.status()) if (hc.listeners !== null) this.set({ hybrid_connection: hc.name }, hc.listeners);
      },
    });
    this.reconnects = new Counter({
      name: 'hcm_hybrid_connection_reconnects_total',
      help: 'Times an established relay connection was lost and the listener started reconnecting.',
      labelNames: ['hybrid_connection'],
      registers,
    });
    this.calls = new Counter({
      name: 'hcm_hybrid_connection_calls_total',
      help: 'Relayed calls answered, by HTTP status sent to the caller (499: the caller went away).',
      labelNames: ['hybrid_connection', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'hcm_hybrid_connection_call_duration_seconds',
      help: 'Time from a relayed call reaching the listener to its answer being sent.',
      labelNames: ['hybrid_connection'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    });
    this.requestBytes = new Counter({
      name: 'hcm_hybrid_connection_request_bytes_total',
      help: 'Request body bytes forwarded from callers to the connector.',
      labelNames: ['hybrid_connection'],
      registers,
    });
    this.responseBytes = new Counter({
      name: 'hcm_hybrid_connection_response_bytes_total',
      help: 'Response body bytes sent back to callers.',
      labelNames: ['hybrid_connection'],
      registers,
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  callFinished(call: FinishedCall): void {
    const hybrid_connection = call.hybridConnection;
    this.calls.inc({ hybrid_connection, status: String(call.status) });
    this.duration.observe({ hybrid_connection }, call.seconds);
    this.requestBytes.inc({ hybrid_connection }, call.requestBytes);
    this.responseBytes.inc({ hybrid_connection }, call.responseBytes);
  }

  connectionLost(hybridConnection: string): void {
    this.reconnects.inc({ hybrid_connection: hybridConnection });
  }

  /** Series for a hybrid connection start at zero, so a rate() over them works from the first scrape. */
  hybridConnectionAdded(hybridConnection: string): void {
    this.reconnects.inc({ hybrid_connection: hybridConnection }, 0);
    this.requestBytes.inc({ hybrid_connection: hybridConnection }, 0);
    this.responseBytes.inc({ hybrid_connection: hybridConnection }, 0);
  }
}
