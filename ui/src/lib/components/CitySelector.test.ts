import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import CitySelector from './CitySelector.svelte';
import { db } from '$lib/db.svelte';
import { setLang } from '$lib/i18n';
import type { DbStatus } from '$lib/api';
import type { City } from '$lib/bindings';

function city(id: string, name: string): City {
  return {
    id,
    name,
    country: 'MX',
    population: null,
    population_year: null,
    latitude: null,
    longitude: null,
    region: null,
    cdp_account: null,
    income_group: null,
    created_at: 0,
    updated_at: 0,
    updated_by: 'o',
    deleted: false,
    trashed_with: null,
  };
}

function status(cities: City[]): DbStatus {
  return {
    path: '/tmp/x.cabildo',
    office: { id: 'o', name: 'Oficina', reporting_currency: 'MXN', language: 'es', number_format: 'comma_point' },
    cities,
    recent: [],
    startup_error: null,
    startup_received: null,
  };
}

beforeEach(() => {
  localStorage.clear();
  setLang('es');
});

afterEach(() => {
  db.status = null;
  db.cityId = null;
});

describe('CitySelector', () => {
  it('names the only city of a single-city file, with no selector, and scopes to it', () => {
    db.apply(status([city('c1', 'Villa Esperanza')]), true);
    render(CitySelector);
    expect(screen.queryByTestId('city-selector')).toBeNull();
    expect(screen.getByTestId('city-name').textContent).toBe('Villa Esperanza');
    expect(db.cityId).toBe('c1');
  });

  it('offers all cities and each city in a coordinator file, and remembers the choice', async () => {
    db.apply(status([city('c2', 'Zapopan'), city('c1', 'Aguascalientes')]), true);
    render(CitySelector);
    const select = screen.getByTestId('city-selector') as HTMLSelectElement;
    expect([...select.options].map((o) => o.text)).toEqual([
      'Todas las ciudades',
      'Aguascalientes',
      'Zapopan',
    ]);
    expect(db.cityId).toBeNull();
    await fireEvent.change(select, { target: { value: 'c2' } });
    expect(db.cityId).toBe('c2');
    expect(localStorage.getItem('cabildo.city')).toBe('c2');
    // Opening the same file again comes back to the city chosen.
    db.apply(status([city('c2', 'Zapopan'), city('c1', 'Aguascalientes')]), true);
    expect(db.cityId).toBe('c2');
  });
});
