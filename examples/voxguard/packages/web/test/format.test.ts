import { describe, expect, it } from 'vitest';
import { escapeHtml, formatAge, formatPercent, humanizeFlag, maskNumber } from '../src/format.js';

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<img src="x" onerror='1'>&`)).toBe(
      '&lt;img src=&quot;x&quot; onerror=&#39;1&#39;&gt;&amp;',
    );
  });
});

describe('formatPercent', () => {
  it('formats ratios', () => {
    expect(formatPercent(0.4567)).toBe('45.7%');
    expect(formatPercent(1, 0)).toBe('100%');
  });
  it('shows a dash for non-finite values', () => {
    expect(formatPercent(Number.NaN)).toBe('–');
  });
});

describe('maskNumber', () => {
  it('keeps country code and last three digits', () => {
    expect(maskNumber('+447400123456')).toBe('+44•••••••456');
  });
  it('masks short numbers entirely', () => {
    expect(maskNumber('12345')).toBe('*****');
  });
});

describe('formatAge', () => {
  const now = 10 * 24 * 3_600_000;
  it.each([
    [now - 10_000, 'just now'],
    [now + 5_000, 'just now'],
    [now - 5 * 60_000, '5 min ago'],
    [now - 3 * 3_600_000, '3 h ago'],
    [now - 3 * 24 * 3_600_000, '3 d ago'],
  ])('formats %d', (then, expected) => {
    expect(formatAge(then, now)).toBe(expected);
  });
});

describe('humanizeFlag', () => {
  it('turns identifiers into words', () => {
    expect(humanizeFlag('premium_rate_callee')).toBe('Premium rate callee');
    expect(humanizeFlag('high-velocity')).toBe('High velocity');
  });
});
