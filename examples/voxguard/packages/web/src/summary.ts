import { formatAge, formatPercent, maskNumber } from './format.js';
import {
  SEVERITIES,
  type AlertRow,
  type AlertSummaryViewModel,
  type CarrierRow,
  type FraudAlert,
  type Severity,
  type SummaryOptions,
  type Trend,
} from './types.js';

const SEVERITY_RANK: Record<Severity, number> = { critical: 3, high: 2, medium: 1, low: 0 };
const DEFAULT_WINDOW_MINUTES = 60;
const DEFAULT_LIMIT = 5;

function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

function emptyBySeverity(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0 };
}

function carrierRows(alerts: readonly FraudAlert[], limit: number): CarrierRow[] {
  const rows = new Map<string, CarrierRow>();
  for (const alert of alerts) {
    const row = rows.get(alert.carrier) ?? {
      carrier: alert.carrier,
      open: 0,
      total: 0,
      maxScore: 0,
      worstSeverity: 'low' as Severity,
    };
    row.total += 1;
    row.open += alert.acknowledged ? 0 : 1;
    row.maxScore = Math.max(row.maxScore, alert.score);
    row.worstSeverity = worse(row.worstSeverity, alert.severity);
    rows.set(alert.carrier, row);
  }
  return [...rows.values()]
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.worstSeverity] - SEVERITY_RANK[a.worstSeverity] ||
        b.open - a.open ||
        a.carrier.localeCompare(b.carrier),
    )
    .slice(0, limit);
}

function topFlags(alerts: readonly FraudAlert[], limit: number): { flag: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const alert of alerts) {
    for (const flag of new Set(alert.flags)) {
      counts.set(flag, (counts.get(flag) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .map(([flag, count]) => ({ flag, count }))
    .sort((a, b) => b.count - a.count || a.flag.localeCompare(b.flag))
    .slice(0, limit);
}

/** Compare the number of alerts in the last window with the window before it. */
export function computeTrend(
  alerts: readonly FraudAlert[],
  now: number,
  windowMinutes: number,
): { trend: Trend; delta: number } {
  const windowMs = windowMinutes * 60_000;
  let current = 0;
  let previous = 0;
  for (const alert of alerts) {
    const age = now - Date.parse(alert.createdAt);
    if (age < 0 || Number.isNaN(age)) {
      continue;
    }
    if (age < windowMs) {
      current += 1;
    } else if (age < 2 * windowMs) {
      previous += 1;
    }
  }
  const delta = current - previous;
  // A change of less than 10% of the busier window is noise.
  const noise = Math.max(1, Math.ceil(0.1 * Math.max(current, previous)));
  const trend: Trend = Math.abs(delta) < noise ? 'steady' : delta > 0 ? 'rising' : 'falling';
  return { trend, delta };
}

function recentRows(alerts: readonly FraudAlert[], now: number, limit: number): AlertRow[] {
  return [...alerts]
    .filter((alert) => !alert.acknowledged)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .slice(0, limit)
    .map((alert) => ({
      id: alert.id,
      carrier: alert.carrier,
      severity: alert.severity,
      score: alert.score.toFixed(2),
      caller: maskNumber(alert.caller),
      callee: maskNumber(alert.callee),
      age: formatAge(Date.parse(alert.createdAt), now),
      flags: [...alert.flags],
    }));
}

/** Build the fraud-alert summary panel's view model from raw alerts. */
export function buildAlertSummary(
  alerts: readonly FraudAlert[],
  options: SummaryOptions = {},
): AlertSummaryViewModel {
  const now = options.now ?? Date.now();
  const limit = options.limit ?? DEFAULT_LIMIT;
  const bySeverity = emptyBySeverity();
  let open = 0;
  for (const alert of alerts) {
    bySeverity[alert.severity] += 1;
    open += alert.acknowledged ? 0 : 1;
  }
  const { trend, delta } = computeTrend(
    alerts,
    now,
    options.windowMinutes ?? DEFAULT_WINDOW_MINUTES,
  );
  return {
    title: options.title ?? 'Fraud alerts',
    generatedAt: new Date(now).toISOString(),
    total: alerts.length,
    open,
    acknowledgedRate: alerts.length ? formatPercent((alerts.length - open) / alerts.length) : '–',
    bySeverity,
    carriers: carrierRows(alerts, limit),
    topFlags: topFlags(alerts, limit),
    recent: recentRows(alerts, now, limit),
    trend,
    trendDelta: delta,
  };
}

/** Severities in display order, most severe first. */
export function severityOrder(): readonly Severity[] {
  return SEVERITIES;
}
