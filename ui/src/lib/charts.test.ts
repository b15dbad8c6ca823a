import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { AppError } from './api';
import bindingsSource from './bindings.ts?raw';
import {
  CHART_KINDS,
  chartErrorText,
  chartExport,
  chartsRender,
  chartsSaveOverride,
  drawableSize,
  exportFileName,
  inlineSvg,
  nextSlide,
  parseChartSvg,
  previousSlide,
  slideForClick,
  slideKeyAction,
} from './charts';

afterEach(() => {
  clearMocks();
});

/** The shape of the core's SVG (plotters): a viewBox, text, polylines, rects. */
const CORE_SVG = `<svg width="1920" height="1080" viewBox="0 0 1920 1080" xmlns="http://www.w3.org/2000/svg">
<rect x="0" y="0" width="1920" height="1080" opacity="1" fill="#FFFFFF" stroke="none"/>
<text x="48" y="30" dy="0.76em" text-anchor="start" font-family="Noto Sans" font-size="46" fill="#1A1A1A" font-weight="bold">
Costo por categoría y red
</text>
<text x="48" y="90" font-family="Noto Sans" font-size="28">Red &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co.</text>
<polyline fill="none" stroke="#DDDDDD" stroke-width="2" points="48,1016 1872,1016 "/>
<circle cx="61" cy="159" r="12" fill="#009E73"/>
</svg>
`;

describe('slide navigation', () => {
  it('moves forward and back within the slides, stopping at both ends', () => {
    expect(nextSlide(0, 7)).toBe(1);
    expect(nextSlide(6, 7)).toBe(6);
    expect(previousSlide(3, 7)).toBe(2);
    expect(previousSlide(0, 7)).toBe(0);
    expect(nextSlide(0, 0)).toBe(0);
    expect(previousSlide(0, 0)).toBe(0);
  });

  it('maps the arrow keys, page keys, Home, End and Escape', () => {
    expect(slideKeyAction('ArrowRight', 2, 7)).toEqual({ go: 3 });
    expect(slideKeyAction('PageDown', 2, 7)).toEqual({ go: 3 });
    expect(slideKeyAction(' ', 6, 7)).toEqual({ go: 6 });
    expect(slideKeyAction('ArrowLeft', 2, 7)).toEqual({ go: 1 });
    expect(slideKeyAction('PageUp', 0, 7)).toEqual({ go: 0 });
    expect(slideKeyAction('Home', 5, 7)).toEqual({ go: 0 });
    expect(slideKeyAction('End', 1, 7)).toEqual({ go: 6 });
    expect(slideKeyAction('Escape', 3, 7)).toBe('exit');
    expect(slideKeyAction('a', 3, 7)).toBeNull();
    expect(slideKeyAction('Tab', 3, 7)).toBeNull();
  });

  it('goes back on a click in the left quarter and forward elsewhere', () => {
    expect(slideForClick(100, 1920, 3, 7)).toBe(2);
    expect(slideForClick(1000, 1920, 3, 7)).toBe(4);
    expect(slideForClick(1900, 1920, 6, 7)).toBe(6);
  });
});

describe('sizes and names', () => {
  it('clamps a screen size to what the core draws', () => {
    expect(drawableSize(1920, 1080)).toEqual({ width: 1920, height: 1080 });
    expect(drawableSize(1366.4, 711.6)).toEqual({ width: 1366, height: 712 });
    expect(drawableSize(100, 9000)).toEqual({ width: 320, height: 7680 });
    expect(drawableSize(Number.NaN, 0)).toEqual({ width: 320, height: 320 });
  });

  it('names an export by chart, language, size and format', () => {
    expect(exportFileName('leverage', 'es', 'svg')).toBe('cabildo-leverage-es.svg');
    expect(exportFileName('leverage', 'en', 'png', { width: 3840, height: 2160 })).toBe(
      'cabildo-leverage-en-3840x2160.png',
    );
    expect(exportFileName('asks-to-results', 'es', 'pdf', { width: 1920, height: 1080 })).toBe(
      'cabildo-asks-to-results-es.pdf',
    );
  });

  it('knows the eight charts in the core’s order', () => {
    expect(CHART_KINDS).toHaveLength(8);
    expect(CHART_KINDS[0]).toBe('cost-by-category');
    expect(new Set(CHART_KINDS).size).toBe(8);
  });

  it('lists the same eight kinds as the generated bindings', () => {
    const line = bindingsSource.split('\n').find((l) => l.startsWith('export type ChartKind ='));
    const kinds = [...(line ?? '').matchAll(/"([a-z-]+)"/g)].map((m) => m[1]);
    expect(kinds).toEqual([...CHART_KINDS]);
  });
});

describe('error texts', () => {
  it('translates the chart commands’ codes, never their English message', () => {
    expect(chartErrorText(new AppError('io', 'EACCES /x'), 'es')).toBe(
      'No se pudo guardar el archivo: revise la carpeta y sus permisos.',
    );
    expect(chartErrorText(new AppError('disk_full', 'No space'), 'en')).toBe(
      'The disk is full: free some space or save elsewhere.',
    );
    expect(chartErrorText(new AppError('chart', 'resvg failed'), 'en')).toBe('The chart could not be drawn.');
    expect(chartErrorText(new AppError('invalid.out_of_range', 'width', 'width'), 'es')).toBe(
      'El tamaño pedido está fuera de lo que se puede dibujar.',
    );
  });

  it('falls back to the general error texts for other codes', () => {
    expect(chartErrorText(new AppError('no_database', 'x'), 'es')).toBe('No hay una base de datos abierta.');
  });
});

describe('the core’s SVG in the page', () => {
  it('accepts the core’s drawing, with its escaped text kept as text', () => {
    const svg = parseChartSvg(CORE_SVG);
    expect(svg).not.toBeNull();
    expect(svg?.textContent).toContain('Costo por categoría y red');
    expect(svg?.textContent).toContain('Red <script>alert(1)</script> & Co.');
    expect(svg?.getElementsByTagName('script')).toHaveLength(0);
  });

  it('refuses anything that is not a plain drawing', () => {
    const wrap = (inner: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${inner}</svg>`;
    expect(parseChartSvg(wrap('<script>alert(1)</script>'))).toBeNull();
    expect(parseChartSvg(wrap('<rect onclick="alert(1)" width="1" height="1"/>'))).toBeNull();
    expect(parseChartSvg(wrap('<a href="javascript:alert(1)"><text>x</text></a>'))).toBeNull();
    expect(parseChartSvg(wrap('<foreignObject><div>x</div></foreignObject>'))).toBeNull();
    expect(parseChartSvg(wrap('<rect fill="url(https://example.org/x)"/>'))).toBeNull();
    expect(parseChartSvg(wrap('<rect style="fill:red"/>'))).toBeNull();
    expect(parseChartSvg('<html><body>not svg</body></html>')).toBeNull();
    expect(parseChartSvg('<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed')).toBeNull();
  });

  it('puts the drawing inline, sized by CSS and labelled', () => {
    const host = document.createElement('div');
    inlineSvg(CORE_SVG, 'Costo por categoría y red')(host);
    const svg = host.querySelector('svg');
    expect(svg).not.toBeNull();
    expect(svg?.getAttribute('viewBox')).toBe('0 0 1920 1080');
    expect(svg?.hasAttribute('width')).toBe(false);
    expect(svg?.getAttribute('role')).toBe('img');
    expect(svg?.getAttribute('aria-label')).toBe('Costo por categoría y red');
    expect(host.dataset.invalid).toBeUndefined();

    inlineSvg('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', 'x')(host);
    expect(host.childElementCount).toBe(0);
    expect(host.dataset.invalid).toBe('true');
  });
});

describe('chart commands', () => {
  it('pass their arguments to the shell under the names it takes', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'charts_render') return { query: { from: '2025-01-01' }, charts: [] };
      if (cmd === 'charts_save_override') return null;
      return '/out/x.png';
    });
    const query = { from: '2025-01-01', to: '2025-12-31', currency: 'MXN', city_id: null };
    await chartsRender(null, 'c1', 'en', [], 1920, 1080);
    await chartExport({ kind: 'leverage', query, lang: 'es', width: 3840, height: 2160 }, 'png', '/out/x');
    await expect(chartsSaveOverride('x.png')).resolves.toBeNull();
    expect(calls[0]).toEqual([
      'charts_render',
      { query: null, cityId: 'c1', lang: 'en', kinds: [], width: 1920, height: 1080 },
    ]);
    expect(calls[1]?.[0]).toBe('chart_export');
    expect(calls[1]?.[1]).toMatchObject({ format: 'png', path: '/out/x', request: { width: 3840 } });
    expect(calls[2]).toEqual(['charts_save_override', { fileName: 'x.png' }]);
  });
});
