import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { Preview } from '$lib/bindings';
import { setLang } from '$lib/i18n';
import { importer, withChoice, withFormat, mappedColumn } from '$lib/importer.svelte';
import ImportDialog from './ImportDialog.svelte';

function preview(over: Partial<Preview> = {}): Preview {
  return {
    kind: 'cost_entry',
    sheet: 'Cuotas',
    sheets: ['Cuotas', 'Viajes'],
    header_row: 3,
    title_rows: [1, 2],
    blank_rows: [],
    totals_row: 9,
    columns: [
      {
        field: 'amount_minor',
        field_label: 'Monto',
        column: 2,
        header: 'Importe',
        constant: null,
        number_format: 'point_comma',
        format_detected: true,
        date_order: null,
        currency_from_cells: false,
      },
    ],
    ignored_columns: ['Notas'],
    data_rows: 5,
    records_ok: 4,
    records: [{ amount_minor: 1250000, currency: 'EUR', date: '2025-01-15' }],
    problems: [
      { row: 7, column: 'Fecha', field: 'date', reason: 'bad_date', detail: '31/02/2025', message: 'La fecha no existe' },
    ],
    unmatched: [],
    imported_ids: [],
    applied: false,
    import_id: null,
    already_imported: null,
    possible_duplicates: [],
    duplicates_left_out: 0,
    notes: ['Encabezados en la fila 3', 'Fila de totales omitida: fila 9'],
    headers: ['Fecha', 'Concepto', 'Importe', 'Notas'],
    mapping: { date: 'Fecha', amount_minor: 'Importe', description: 'Concepto' },
    saved_mapping: false,
    close_matches: [],
    ...over,
  } as Preview;
}

let sent: { cmd: string; args: Record<string, unknown> }[] = [];

beforeEach(() => {
  setLang('es');
  sent = [];
  mockIPC((cmd, args) => {
    sent.push({ cmd, args: args as Record<string, unknown> });
    if (cmd === 'import_preview') return preview({ mapping: (args as { spec: { mapping: Preview['mapping'] } }).spec.mapping });
    if (cmd === 'import_apply') return preview({ applied: true, imported_ids: ['a', 'b', 'c', 'd'], import_id: 'imp-1', problems: [] });
    if (cmd === 'import_undo') return 4;
    if (cmd === 'record_save') return { id: 'n-9', ...(args as { record: object }).record };
    if (cmd === 'import_close' || cmd === 'import_cancel') return null;
    throw { code: 'unknown_command', message: cmd };
  });
});

afterEach(() => {
  importer.dialog = null;
  clearMocks();
});

const spec = { path: '/tmp/cuotas.xlsx', kind: 'cost_entry' as const, mapping: {}, values: {}, skip_duplicates: false };

describe('mapping choices', () => {
  it('changes one field and keeps the others', () => {
    const used = { date: 'Fecha', amount_minor: 'Importe' };
    expect(withChoice(used, 'date', { kind: 'ignore' })).toEqual({ date: 'ignore', amount_minor: 'Importe' });
    expect(withChoice(used, 'currency', { kind: 'constant', value: 'EUR' })).toMatchObject({ currency: { value: 'EUR' } });
    expect(withFormat(used, 'amount_minor', 'Importe', 'comma_point')).toMatchObject({
      amount_minor: { column: 'Importe', format: 'comma_point' },
      date: 'Fecha',
    });
    expect(mappedColumn({ column: 'Importe', format: null })).toBe('Importe');
    expect(mappedColumn({ value: 'EUR' })).toBeNull();
  });
});

describe('ImportDialog', () => {
  it('shows the preview: header, notes, detected format, problems; import waits for leaving errors out', async () => {
    importer.dialog = { kind: 'preview', spec, preview: preview(), skipErrors: false, busy: false, error: null };
    render(ImportDialog);
    expect(screen.getByTestId('import-notes').textContent).toContain('fila 3');
    expect(screen.getByTestId('import-notes').textContent).toContain('totales');
    expect(screen.getByTestId('import-problems').textContent).toContain('Fila 7');
    expect(screen.getByTestId('import-problems').textContent).toContain('La fecha no existe');
    expect((screen.getByTestId('import-format-amount_minor') as HTMLSelectElement).value).toBe('point_comma');
    const confirm = screen.getByTestId('import-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('import-skip-errors'));
    expect(confirm.disabled).toBe(false);
  });

  it('re-maps one column by hand and sends the rest as the preview used them', async () => {
    importer.dialog = { kind: 'preview', spec, preview: preview(), skipErrors: false, busy: false, error: null };
    render(ImportDialog);
    const select = screen.getByTestId('import-column-description') as HTMLSelectElement;
    select.value = 'Notas';
    await fireEvent.change(select);
    await new Promise((r) => setTimeout(r, 0));
    const call = sent.find((s) => s.cmd === 'import_preview');
    expect(call).toBeDefined();
    const mapping = (call!.args.spec as { mapping: Record<string, unknown> }).mapping;
    expect(mapping).toEqual({ date: 'Fecha', amount_minor: 'Importe', description: 'Notas' });
  });

  it('imports, then undoes the import in one step', async () => {
    importer.dialog = { kind: 'preview', spec, preview: preview({ problems: [] }), skipErrors: false, busy: false, error: null };
    render(ImportDialog);
    await fireEvent.click(screen.getByTestId('import-confirm'));
    await screen.findByTestId('import-done');
    expect(screen.getByTestId('import-done').textContent).toContain('4');
    await fireEvent.click(screen.getByTestId('import-undo'));
    await screen.findByTestId('import-undone');
    expect(sent.map((s) => s.cmd)).toEqual(['import_apply', 'import_undo']);
    expect(sent[1]?.args).toMatchObject({ importId: 'imp-1' });
  });

  it('shows the core words of an error as they are', async () => {
    importer.dialog = {
      kind: 'error',
      error: new (await import('$lib/api')).AppError('invalid.no_header', 'no header', 'sheet', [], null, 'La hoja no tiene encabezado.'),
    };
    render(ImportDialog);
    expect(screen.getByTestId('import-error').textContent).toBe('La hoja no tiene encabezado.');
  });

  it('adds a network the catalog lacks and gives it to the rows that name it', async () => {
    const unmatched = [
      { field: 'network_id', kind: 'network', value: 'Red Andina', rows: [5, 6], suggestions: [{ id: 'n-1', label: 'RAN — Red Andina de Ciudades' }] },
    ];
    importer.dialog = {
      kind: 'preview',
      spec: { ...spec, kind: 'membership' },
      preview: preview({ kind: 'membership', unmatched, mapping: { network_id: 'Red' }, headers: ['Red'], columns: [] } as Partial<Preview>),
      skipErrors: false,
      busy: false,
      error: null,
    };
    render(ImportDialog);
    expect(screen.getByTestId('import-unmatched').textContent).toContain('RAN — Red Andina de Ciudades');
    await fireEvent.click(screen.getByTestId('import-add-network'));
    await fireEvent.submit(screen.getByTestId('import-add-network-form'));
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    const saved = sent.find((c) => c.cmd === 'record_save');
    expect(saved?.args).toMatchObject({ kind: 'network', record: { name: 'Red Andina', acronym: 'Red Andina' } });
    const again = sent.find((c) => c.cmd === 'import_preview');
    expect((again?.args.spec as { values: unknown }).values).toEqual({ network_id: { 'Red Andina': 'n-9' } });
  });
});
