// What the shell says about itself (version, data folder), loaded once.

import { AppError, appInfo as fetchAppInfo, toAppError, type AppInfo } from './api';

class AppInfoState {
  info = $state<AppInfo | null>(null);
  error = $state<AppError | null>(null);

  async load(): Promise<void> {
    try {
      this.info = await fetchAppInfo();
      this.error = null;
    } catch (reason) {
      this.error = toAppError(reason);
    }
  }
}

export const appInfoState = new AppInfoState();
