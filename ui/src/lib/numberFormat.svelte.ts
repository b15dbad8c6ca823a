// The office's number format (`1,234.56`, `1.234,56`, `1 234,56`), as reactive
// state: every number the app shows is written with its marks. The core reads
// what the user types by the same setting (numbers.rs); the UI never parses.

import type { NumberFormat } from './bindings';

export const NUMBER_FORMATS: readonly NumberFormat[] = ['comma_point', 'point_comma', 'space_comma'];

/** Grouping and decimal marks of each format (a no-break space groups thousands). */
export const MARKS: Record<NumberFormat, { group: string; decimal: string }> = {
  comma_point: { group: ',', decimal: '.' },
  point_comma: { group: '.', decimal: ',' },
  space_comma: { group: '\u00a0', decimal: ',' },
};

/** How each format writes a sample number, for the setting's choices. */
export const SAMPLES: Record<NumberFormat, string> = {
  comma_point: '1,234.56',
  point_comma: '1.234,56',
  space_comma: '1 234,56',
};

class NumberFormatState {
  current = $state<NumberFormat>('comma_point');
}

export const numberFormat = new NumberFormatState();
