// Which component draws each screen. A screen is a component that receives
// its definition as the `screen` prop.

import type { Component } from 'svelte';
import type { ScreenDef, ScreenId } from '$lib/screens';
import BudgetScreen from './BudgetScreen.svelte';
import ChartsScreen from './ChartsScreen.svelte';
import CostsScreen from './CostsScreen.svelte';
import DashboardScreen from './DashboardScreen.svelte';
import DuesScreen from './DuesScreen.svelte';
import MeetingsScreen from './MeetingsScreen.svelte';
import MembershipsScreen from './MembershipsScreen.svelte';
import MetricsScreen from './MetricsScreen.svelte';
import NetworksScreen from './NetworksScreen.svelte';
import OutcomesScreen from './OutcomesScreen.svelte';
import PeersScreen from './PeersScreen.svelte';
import ProjectsScreen from './ProjectsScreen.svelte';
import SettingsScreen from './SettingsScreen.svelte';
import TrashScreen from './TrashScreen.svelte';

export type ScreenComponent = Component<{ screen: ScreenDef }>;

export const SCREEN_COMPONENTS: Record<ScreenId, ScreenComponent> = {
  dashboard: DashboardScreen,
  networks: NetworksScreen,
  memberships: MembershipsScreen,
  dues: DuesScreen,
  costs: CostsScreen,
  meetings: MeetingsScreen,
  projects: ProjectsScreen,
  outcomes: OutcomesScreen,
  metrics: MetricsScreen,
  budget: BudgetScreen,
  charts: ChartsScreen,
  peers: PeersScreen,
  trash: TrashScreen,
  settings: SettingsScreen,
};
