export { escapeHtml, formatAge, formatPercent, humanizeFlag, maskNumber } from './format.js';
export { ALERTS_URL, httpLoader, mount } from './main.js';
export type { AlertLoader, MountTarget } from './main.js';
export { renderAlertPanel } from './render.js';
export { buildAlertSummary, computeTrend, severityOrder } from './summary.js';
export * from './types.js';

export const VERSION = '0.3.1';
