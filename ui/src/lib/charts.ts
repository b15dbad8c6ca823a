// The council charts (issue 4) as the UI sees them: the shell's chart
// commands, the checks on the core's SVG before it enters the page, the
// export file names, and presentation mode's slide navigation. Every chart
// and every figure is drawn by the core; nothing here computes one.

import { AppError, call } from './api';
import type { ChartKind, ChartRequest, Lang, PackRequest, RoiQuery } from './bindings';
import type { ChartSet, CommandErrorCode, ExportFormat } from './commands';
import { errorText } from './errors';
import { translate, type MessageKey } from './i18n';
import { language } from './lang.svelte';

/** The eight charts, in the order the screen and the pack show them. */
export const CHART_KINDS: readonly ChartKind[] = [
  'cost-by-category',
  'cost-vs-return',
  'financing-over-time',
  'leverage',
  'project-timelines',
  'portfolio-funnel',
  'asks-to-results',
  'budget',
];

/** The size the screen draws at (and SVG and PDF exports use). */
export const SCREEN_SIZE = { width: 1920, height: 1080 } as const;
/** The two PNG sizes offered: full HD and 4K. */
export const PNG_SIZES = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;
/** The core draws between these sides (charts::MIN_SIDE, MAX_SIDE). */
export const MIN_SIDE = 320;
export const MAX_SIDE = 7680;

export type { ChartSet, ExportFormat } from './commands';

// ---------------------------------------------------------------------------
// Commands.

/**
 * Draws charts of one selection (all eight when `kinds` is empty). Without a
 * query: the last twelve months in the office currency, for `cityId`.
 */
export function chartsRender(
  query: RoiQuery | null,
  cityId: string | null,
  lang: Lang,
  kinds: readonly ChartKind[],
  width: number,
  height: number,
): Promise<ChartSet> {
  return call('charts_render', { query, cityId, lang, kinds: [...kinds], width, height });
}

/** Writes one chart to `path`; resolves to the path written. */
export const chartExport = (request: ChartRequest, format: ExportFormat, path: string) =>
  call('chart_export', { request, format, path });

/** Writes the council pack PDF to `path`; resolves to the path written. */
export const councilPackExport = (request: PackRequest, path: string) =>
  call('council_pack_export', { request, path });

/** The path to save to without a dialog (end-to-end tests only), else null. */
export const chartsSaveOverride = (fileName: string) =>
  call('charts_save_override', { fileName });

/** Enters or leaves full screen; resolves to whether it was in full screen. */
export const presentationFullscreen = (fullscreen: boolean) =>
  call('presentation_fullscreen', { fullscreen });

// ---------------------------------------------------------------------------
// Names and texts.

/** The file name an export proposes: `cabildo-leverage-es-3840x2160.png`. */
export function exportFileName(
  kind: ChartKind,
  lang: Lang,
  format: ExportFormat,
  size?: { width: number; height: number },
): string {
  const suffix = format === 'png' && size ? `-${size.width}x${size.height}` : '';
  return `cabildo-${kind}-${lang}${suffix}.${format}`;
}

/** Clamps a screen size to what the core draws (at least 320, at most 7680). */
export function drawableSize(width: number, height: number): { width: number; height: number } {
  const clamp = (side: number) =>
    Math.min(MAX_SIDE, Math.max(MIN_SIDE, Math.round(Number.isFinite(side) ? side : MIN_SIDE)));
  return { width: clamp(width), height: clamp(height) };
}

/** Codes the chart commands have their own words for. */
const CHART_ERROR_KEYS: Partial<Record<CommandErrorCode, MessageKey>> = {
  chart: 'charts.error.chart',
  io: 'charts.error.io',
  disk_full: 'charts.error.disk_full',
  'invalid.out_of_range': 'charts.error.out_of_range',
  'invalid.end_before_start': 'charts.error.end_before_start',
  'invalid.unknown_currency': 'charts.error.unknown_currency',
};

/** A chart command's error in the user's language (by code, never by message). */
export function chartErrorText(error: AppError, lang: Lang = language.current): string {
  const key = CHART_ERROR_KEYS[error.code];
  return key ? translate(lang, key) : errorText(error, lang);
}

// ---------------------------------------------------------------------------
// The core's SVG, checked before it enters the page.

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The elements the core's charts are made of (plotters' SVG backend). */
const ALLOWED_ELEMENTS = new Set([
  'svg',
  'g',
  'rect',
  'text',
  'tspan',
  'polyline',
  'polygon',
  'path',
  'circle',
  'ellipse',
  'line',
  'title',
  'desc',
]);

/**
 * Parses the core's SVG as XML and returns its root element, or null when it
 * is not a plain drawing: only drawing elements, no event handler, no link,
 * no reference to anything outside the picture. The core escapes every text
 * it writes into the SVG; this check is a second line behind that, so that
 * no markup from a record can ever become part of the page.
 */
export function parseChartSvg(svg: string): SVGSVGElement | null {
  if (typeof DOMParser === 'undefined') return null;
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'svg' || root.namespaceURI !== SVG_NS) return null;
  if (doc.getElementsByTagName('parsererror').length > 0) return null;
  const elements = [root, ...Array.from(root.getElementsByTagName('*'))];
  for (const element of elements) {
    if (element.namespaceURI !== SVG_NS || !ALLOWED_ELEMENTS.has(element.localName)) return null;
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.localName.toLowerCase();
      const value = attribute.value.toLowerCase();
      if (name.startsWith('on') || name === 'href' || name === 'style') return null;
      if (value.includes('url(') || value.includes('javascript:')) return null;
    }
  }
  return root as unknown as SVGSVGElement;
}

/**
 * A Svelte attachment that shows a chart's SVG inline in `node` (inline, not
 * in an <img>, so the page's Noto Sans @font-face draws its text). A drawing
 * that fails the check leaves the node empty and marks it invalid.
 */
export function inlineSvg(svg: string, label: string) {
  return (node: HTMLElement) => {
    const parsed = parseChartSvg(svg);
    if (!parsed) {
      node.replaceChildren();
      node.dataset.invalid = 'true';
      return;
    }
    const element = node.ownerDocument.importNode(parsed, true);
    element.setAttribute('role', 'img');
    element.setAttribute('aria-label', label);
    element.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    // Let CSS size the drawing; its viewBox keeps the proportions.
    element.removeAttribute('width');
    element.removeAttribute('height');
    delete node.dataset.invalid;
    node.replaceChildren(element);
  };
}

// ---------------------------------------------------------------------------
// Presentation mode: one chart per slide.

/** What a key does in presentation mode. */
export type SlideAction = { go: number } | 'exit' | null;

/** The slide after `index` (stays on the last). */
export function nextSlide(index: number, count: number): number {
  return count <= 0 ? 0 : Math.min(index + 1, count - 1);
}

/** The slide before `index` (stays on the first). */
export function previousSlide(index: number, count: number): number {
  return count <= 0 ? 0 : Math.max(index - 1, 0);
}

/** The action of a key press on slide `index` of `count`. */
export function slideKeyAction(key: string, index: number, count: number): SlideAction {
  switch (key) {
    case 'Escape':
      return 'exit';
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
    case ' ':
    case 'Enter':
      return { go: nextSlide(index, count) };
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
    case 'Backspace':
      return { go: previousSlide(index, count) };
    case 'Home':
      return { go: 0 };
    case 'End':
      return { go: Math.max(count - 1, 0) };
    default:
      return null;
  }
}

/**
 * The slide a click at `x` on a slide `width` wide leads to: the left quarter
 * goes back, the rest forward (as a presenter's clicker does).
 */
export function slideForClick(x: number, width: number, index: number, count: number): number {
  return width > 0 && x < width / 4 ? previousSlide(index, count) : nextSlide(index, count);
}
