import { describe, expect, it } from 'vitest';
import { screenFromHash } from './router.svelte';

describe('router', () => {
  it('reads the screen from the location hash', () => {
    expect(screenFromHash('#/networks')).toBe('networks');
    expect(screenFromHash('#/costs/123')).toBe('costs');
  });

  it('falls back to the dashboard for an empty or unknown hash', () => {
    expect(screenFromHash('')).toBe('dashboard');
    expect(screenFromHash('#/nowhere')).toBe('dashboard');
  });
});
