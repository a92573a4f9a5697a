import { describe, expect, it } from 'vitest';
import { renderAlertPanel } from '../src/render.js';
import { buildAlertSummary } from '../src/summary.js';
import { NOW, alert } from './fixtures.js';

describe('renderAlertPanel', () => {
  it('renders counts, carriers, flags and recent alerts', () => {
    const html = renderAlertPanel(
      buildAlertSummary(
        [alert({ id: 'x1', carrier: 'ACME', severity: 'critical', flags: ['high_velocity'] })],
        { now: NOW },
      ),
    );
    expect(html).toContain('<section class="vg-panel" aria-label="Fraud alerts">');
    expect(html).toContain('<b>1</b> open of 1');
    expect(html).toContain('<li class="vg-badge vg-badge--critical"><span>critical</span> <b>1</b></li>');
    expect(html).toContain('<td>ACME</td>');
    expect(html).toContain('data-alert-id="x1"');
    expect(html).toContain('<em>High velocity</em>');
    expect(html).toContain('▲ +1 vs previous window');
  });

  it('escapes untrusted values', () => {
    const html = renderAlertPanel(
      buildAlertSummary([alert({ carrier: '<script>x</script>', id: '"q"' })], {
        now: NOW,
        title: 'A & B',
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('data-alert-id="&quot;q&quot;"');
    expect(html).toContain('<h2>A &amp; B</h2>');
  });

  it('shows empty states', () => {
    const html = renderAlertPanel(buildAlertSummary([], { now: NOW }));
    expect(html).toContain('No carriers with alerts.');
    expect(html).toContain('No open alerts.');
    expect(html).not.toContain('vg-flags');
    expect(html).toContain('▶ 0 vs previous window');
  });
});
