import type { FraudAlert } from '../src/types.js';

export const NOW = Date.parse('2026-03-01T12:00:00Z');

export function minutesAgo(minutes: number): string {
  return new Date(NOW - minutes * 60_000).toISOString();
}

let seq = 0;

export function alert(overrides: Partial<FraudAlert> = {}): FraudAlert {
  seq += 1;
  return {
    id: `a-${seq}`,
    carrier: 'ACME',
    severity: 'medium',
    score: 0.55,
    flags: ['premium_rate_callee'],
    caller: '+447400123456',
    callee: '+449012345678',
    createdAt: minutesAgo(5),
    acknowledged: false,
    ...overrides,
  };
}
