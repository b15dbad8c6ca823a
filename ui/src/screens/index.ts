// Which component draws each screen. A screen is a component that receives
// its definition as the `screen` prop; replace a placeholder with the real
// screen as it is built.

import type { Component } from 'svelte';
import type { ScreenDef, ScreenId } from '$lib/screens';
import ScreenPlaceholder from './ScreenPlaceholder.svelte';
import SettingsScreen from './SettingsScreen.svelte';

export type ScreenComponent = Component<{ screen: ScreenDef }>;

export const SCREEN_COMPONENTS: Record<ScreenId, ScreenComponent> = {
  dashboard: ScreenPlaceholder,
  networks: ScreenPlaceholder,
  memberships: ScreenPlaceholder,
  costs: ScreenPlaceholder,
  meetings: ScreenPlaceholder,
  projects: ScreenPlaceholder,
  outcomes: ScreenPlaceholder,
  metrics: ScreenPlaceholder,
  charts: ScreenPlaceholder,
  peers: ScreenPlaceholder,
  trash: ScreenPlaceholder,
  settings: SettingsScreen,
};
