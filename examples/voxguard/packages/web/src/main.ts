import { escapeHtml } from './format.js';
import { renderAlertPanel } from './render.js';
import { buildAlertSummary } from './summary.js';
import type { FraudAlert, SummaryOptions } from './types.js';

export type AlertLoader = () => Promise<FraudAlert[]>;

/** Anything with an `innerHTML` (an Element in the browser, a plain object in tests). */
export interface MountTarget {
  innerHTML: string;
}

export const ALERTS_URL = '/api/v1/alerts';

/** Fetch alerts from the management API. */
export function httpLoader(fetchFn: typeof fetch, url = ALERTS_URL): AlertLoader {
  return async () => {
    const response = await fetchFn(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error(`GET ${url} failed: ${response.status}`);
    }
    const body = (await response.json()) as { alerts?: FraudAlert[] };
    return body.alerts ?? [];
  };
}

/** Load, summarise and render into `target`; a load failure is shown, not thrown. */
export async function mount(
  target: MountTarget,
  load: AlertLoader,
  options: SummaryOptions = {},
): Promise<boolean> {
  try {
    const alerts = await load();
    target.innerHTML = renderAlertPanel(buildAlertSummary(alerts, options));
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    target.innerHTML = `<p class="vg-error" role="alert">Could not load alerts: ${escapeHtml(message)}</p>`;
    return false;
  }
}

// Browser bootstrap: index.html has <div id="voxguard-alerts">.
if (typeof document !== 'undefined') {
  const root = document.getElementById('voxguard-alerts');
  if (root) {
    void mount(root, httpLoader(fetch.bind(globalThis)));
  }
}
