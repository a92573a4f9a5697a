import { describe, expect, it } from 'vitest';
import { buildAlertSummary, computeTrend } from '../src/summary.js';
import { NOW, alert, minutesAgo } from './fixtures.js';

describe('buildAlertSummary', () => {
  const alerts = [
    alert({ carrier: 'ZETA', severity: 'critical', score: 0.95, flags: ['wangiri', 'high_velocity'] }),
    alert({ carrier: 'ACME', severity: 'high', score: 0.7 }),
    alert({ carrier: 'ACME', severity: 'low', score: 0.3, acknowledged: true }),
    alert({ carrier: 'BETA', severity: 'low', score: 0.2, flags: ['wangiri', 'wangiri'] }),
  ];
  const vm = buildAlertSummary(alerts, { now: NOW, limit: 2 });

  it('counts totals, open alerts and severities', () => {
    expect(vm.total).toBe(4);
    expect(vm.open).toBe(3);
    expect(vm.acknowledgedRate).toBe('25.0%');
    expect(vm.bySeverity).toEqual({ critical: 1, high: 1, medium: 0, low: 2 });
    expect(vm.generatedAt).toBe('2026-03-01T12:00:00.000Z');
    expect(vm.title).toBe('Fraud alerts');
  });

  it('ranks carriers by worst severity and keeps the limit', () => {
    expect(vm.carriers.map((row) => row.carrier)).toEqual(['ZETA', 'ACME']);
    expect(vm.carriers[1]).toMatchObject({ open: 1, total: 2, maxScore: 0.7 });
  });

  it('counts each flag once per alert', () => {
    expect(vm.topFlags).toEqual([
      { flag: 'premium_rate_callee', count: 2 },
      { flag: 'wangiri', count: 2 },
    ]);
  });

  it('lists open alerts newest first with masked numbers', () => {
    const recent = buildAlertSummary(
      [alert({ id: 'old', createdAt: minutesAgo(90) }), alert({ id: 'new', createdAt: minutesAgo(1) })],
      { now: NOW },
    ).recent;
    expect(recent.map((row) => row.id)).toEqual(['new', 'old']);
    expect(recent[0]).toMatchObject({ caller: '+44•••••••456', age: '1 min ago', score: '0.55' });
  });

  it('handles an empty list', () => {
    const empty = buildAlertSummary([], { now: NOW, title: 'Nothing' });
    expect(empty).toMatchObject({ total: 0, open: 0, acknowledgedRate: '–', trend: 'steady' });
    expect(empty.carriers).toEqual([]);
  });
});

describe('computeTrend', () => {
  it('detects a rising window', () => {
    const alerts = [alert({ createdAt: minutesAgo(5) }), alert({ createdAt: minutesAgo(10) })];
    expect(computeTrend(alerts, NOW, 60)).toEqual({ trend: 'rising', delta: 2 });
  });

  it('detects a falling window and ignores future or bad timestamps', () => {
    const alerts = [
      alert({ createdAt: minutesAgo(70) }),
      alert({ createdAt: minutesAgo(80) }),
      alert({ createdAt: minutesAgo(-5) }),
      alert({ createdAt: 'not a date' }),
      alert({ createdAt: minutesAgo(500) }),
    ];
    expect(computeTrend(alerts, NOW, 60)).toEqual({ trend: 'falling', delta: -2 });
  });
});
