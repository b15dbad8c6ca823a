// The screens of the app, in navigation order. To add a screen: add it here,
// add its texts (nav.<id>, screen.<id>.title, screen.<id>.lead) to both
// locale tables, and map its component in src/screens/index.ts.

import type { MessageKey } from './locales/keys';

export const SCREEN_IDS = [
  'dashboard',
  'networks',
  'memberships',
  'dues',
  'costs',
  'meetings',
  'projects',
  'outcomes',
  'metrics',
  'budget',
  'charts',
  'peers',
  'trash',
  'settings',
] as const;

export type ScreenId = (typeof SCREEN_IDS)[number];

export const DEFAULT_SCREEN: ScreenId = 'dashboard';

export interface ScreenDef {
  id: ScreenId;
  /** Label in the left navigation. */
  nav: MessageKey;
  /** Heading of the screen. */
  title: MessageKey;
  /** One sentence under the heading. */
  lead: MessageKey;
  /** Screens after a separator in the navigation (trash, settings). */
  secondary?: boolean;
}

export const SCREENS: readonly ScreenDef[] = SCREEN_IDS.map((id) => ({
  id,
  nav: `nav.${id}` as MessageKey,
  title: `screen.${id}.title` as MessageKey,
  lead: `screen.${id}.lead` as MessageKey,
  secondary: id === 'trash' || id === 'settings',
}));

export function isScreenId(value: unknown): value is ScreenId {
  return typeof value === 'string' && (SCREEN_IDS as readonly string[]).includes(value);
}

export function screenDef(id: ScreenId): ScreenDef {
  const def = SCREENS.find((s) => s.id === id);
  if (!def) throw new Error(`unknown screen ${id}`);
  return def;
}
