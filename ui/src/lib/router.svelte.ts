// Which screen is shown. The location hash ("#/networks") is the source of
// truth, so links are plain <a href> (keyboard and middle-click friendly) and
// a screen can be opened directly.

import { DEFAULT_SCREEN, isScreenId, type ScreenId } from './screens';

export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return isScreenId(id) ? id : DEFAULT_SCREEN;
}

export function hrefFor(id: ScreenId): string {
  return `#/${id}`;
}

class RouterState {
  current = $state<ScreenId>(
    typeof location === 'undefined' ? DEFAULT_SCREEN : screenFromHash(location.hash),
  );
}

export const router = new RouterState();

/** Follows hash changes; returns the function that stops following. */
export function startRouter(onChange?: (id: ScreenId) => void): () => void {
  const sync = () => {
    const id = screenFromHash(location.hash);
    if (id !== router.current) {
      router.current = id;
      onChange?.(id);
    }
  };
  window.addEventListener('hashchange', sync);
  sync();
  return () => window.removeEventListener('hashchange', sync);
}
