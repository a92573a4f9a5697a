/** Severity levels used by the detection engine when it raises an alert. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A fraud alert as served by the management API (`GET /api/v1/alerts`). */
export interface FraudAlert {
  id: string;
  carrier: string;
  severity: Severity;
  /** Risk score in [0, 1] from the processing service. */
  score: number;
  /** Risk flags, e.g. `premium_rate_callee`, `wangiri`, `invalid_caller`. */
  flags: string[];
  /** Caller number in E.164 form. */
  caller: string;
  callee: string;
  /** ISO-8601 timestamp. */
  createdAt: string;
  acknowledged: boolean;
}

export interface CarrierRow {
  carrier: string;
  open: number;
  total: number;
  maxScore: number;
  worstSeverity: Severity;
}

export interface AlertRow {
  id: string;
  carrier: string;
  severity: Severity;
  score: string;
  caller: string;
  callee: string;
  age: string;
  flags: string[];
}

export type Trend = 'rising' | 'falling' | 'steady';

/** Everything the panel shows, already formatted: rendering only lays it out. */
export interface AlertSummaryViewModel {
  title: string;
  generatedAt: string;
  total: number;
  open: number;
  acknowledgedRate: string;
  bySeverity: Record<Severity, number>;
  carriers: CarrierRow[];
  topFlags: { flag: string; count: number }[];
  recent: AlertRow[];
  trend: Trend;
  trendDelta: number;
}

export interface SummaryOptions {
  /** Reference time (ms since epoch); defaults to `Date.now()`. */
  now?: number;
  /** Width of the trend window in minutes (current vs previous window). */
  windowMinutes?: number;
  /** How many carriers / flags / recent alerts to keep. */
  limit?: number;
  title?: string;
}
