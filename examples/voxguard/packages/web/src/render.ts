import { escapeHtml, humanizeFlag } from './format.js';
import { severityOrder } from './summary.js';
import type { AlertRow, AlertSummaryViewModel, CarrierRow, Trend } from './types.js';

const TREND_ARROWS: Record<Trend, string> = { rising: '▲', falling: '▼', steady: '▶' };

function severityBadges(vm: AlertSummaryViewModel): string {
  return severityOrder()
    .map(
      (severity) =>
        `<li class="vg-badge vg-badge--${severity}"><span>${severity}</span> <b>${vm.bySeverity[severity]}</b></li>`,
    )
    .join('');
}

function carrierTable(rows: readonly CarrierRow[]): string {
  if (rows.length === 0) {
    return '<p class="vg-empty">No carriers with alerts.</p>';
  }
  const body = rows
    .map(
      (row) =>
        `<tr class="vg-sev--${row.worstSeverity}"><td>${escapeHtml(row.carrier)}</td>` +
        `<td>${row.open}</td><td>${row.total}</td><td>${row.maxScore.toFixed(2)}</td></tr>`,
    )
    .join('');
  return (
    '<table class="vg-carriers"><thead><tr><th>Carrier</th><th>Open</th><th>Total</th>' +
    `<th>Max score</th></tr></thead><tbody>${body}</tbody></table>`
  );
}

function recentList(rows: readonly AlertRow[]): string {
  if (rows.length === 0) {
    return '<p class="vg-empty">No open alerts.</p>';
  }
  const items = rows
    .map((row) => {
      const flags = row.flags.map((flag) => escapeHtml(humanizeFlag(flag))).join(', ');
      return (
        `<li class="vg-alert vg-sev--${row.severity}" data-alert-id="${escapeHtml(row.id)}">` +
        `<span class="vg-alert__score">${row.score}</span> ` +
        `${escapeHtml(row.caller)} → ${escapeHtml(row.callee)} ` +
        `<small>${escapeHtml(row.carrier)} · ${row.age}</small>` +
        (flags ? ` <em>${flags}</em>` : '') +
        '</li>'
      );
    })
    .join('');
  return `<ol class="vg-recent">${items}</ol>`;
}

/** Render the panel as an HTML fragment (no DOM needed; safe for innerHTML). */
export function renderAlertPanel(vm: AlertSummaryViewModel): string {
  const trendSign = vm.trendDelta > 0 ? '+' : '';
  const flags = vm.topFlags
    .map((f) => `<li>${escapeHtml(humanizeFlag(f.flag))} <b>${f.count}</b></li>`)
    .join('');
  return [
    `<section class="vg-panel" aria-label="${escapeHtml(vm.title)}">`,
    `<header><h2>${escapeHtml(vm.title)}</h2>`,
    `<p class="vg-trend vg-trend--${vm.trend}">${TREND_ARROWS[vm.trend]} ${trendSign}${vm.trendDelta} vs previous window</p></header>`,
    `<p class="vg-counts"><b>${vm.open}</b> open of ${vm.total} · ${vm.acknowledgedRate} acknowledged</p>`,
    `<ul class="vg-severities">${severityBadges(vm)}</ul>`,
    carrierTable(vm.carriers),
    flags ? `<ul class="vg-flags">${flags}</ul>` : '',
    recentList(vm.recent),
    `<footer><time datetime="${vm.generatedAt}">${vm.generatedAt}</time></footer>`,
    '</section>',
  ].join('\n');
}
