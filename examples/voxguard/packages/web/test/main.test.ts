import { describe, expect, it, vi } from 'vitest';
import { ALERTS_URL, VERSION, httpLoader, mount } from '../src/index.js';
import { NOW, alert } from './fixtures.js';

function fakeFetch(status: number, body: unknown): typeof fetch {
  return vi.fn(async () => new Response(JSON.stringify(body), { status }));
}

describe('httpLoader', () => {
  it('reads alerts from the management API', async () => {
    const fetchFn = fakeFetch(200, { alerts: [alert({ id: 'h1' })] });
    const alerts = await httpLoader(fetchFn)();
    expect(alerts.map((a) => a.id)).toEqual(['h1']);
    expect(fetchFn).toHaveBeenCalledWith(ALERTS_URL, { headers: { Accept: 'application/json' } });
  });

  it('treats a missing list as empty and rejects HTTP errors', async () => {
    await expect(httpLoader(fakeFetch(200, {}))()).resolves.toEqual([]);
    await expect(httpLoader(fakeFetch(503, {}), '/x')()).rejects.toThrow('GET /x failed: 503');
  });
});

describe('mount', () => {
  it('renders the panel into the target', async () => {
    const target = { innerHTML: '' };
    await expect(mount(target, async () => [alert()], { now: NOW })).resolves.toBe(true);
    expect(target.innerHTML).toContain('vg-panel');
  });

  it('shows load errors escaped', async () => {
    const target = { innerHTML: '' };
    const ok = await mount(target, () => Promise.reject(new Error('<boom>')));
    expect(ok).toBe(false);
    expect(target.innerHTML).toBe(
      '<p class="vg-error" role="alert">Could not load alerts: &lt;boom&gt;</p>',
    );
    await mount(target, () => Promise.reject('plain'));
    expect(target.innerHTML).toContain('plain');
  });

  it('exposes a semver version', () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
