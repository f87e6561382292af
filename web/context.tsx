// What every view needs: the API, the texts in the user's language and who is signed in.
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, type Api } from './api';
import type { Texts } from './i18n';
import type { SessionView } from '../src/tab/view-types';

export interface TabContextValue {
  api: Api;
  texts: Texts;
  session: SessionView;
}

export const TabContext = createContext<TabContextValue | undefined>(undefined);

export function useTab(): TabContextValue {
  const value = useContext(TabContext);
  if (!value) throw new Error('useTab outside <TabContext>');
  return value;
}

export type Loaded<T> =
  { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ready'; data: T };

/**
 * Loads `path` from the API; reload() fetches it again (after an action) and keeps showing the data
 * it has until the new data is there, so that nothing the user works with (or their focus) vanishes.
 */
export function useLoad<T>(path: string | undefined): [Loaded<T>, () => void] {
  const { api } = useTab();
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const [loadedPath, setLoadedPath] = useState(path);
  useEffect(() => {
    if (path === undefined) return;
    let cancelled = false;
    if (path !== loadedPath) {
      setLoadedPath(path);
      setResult({ state: 'loading' });
    }
    api.get<T>(path).then(
      (data) => !cancelled && setResult({ state: 'ready', data }),
      (err: unknown) =>
        !cancelled &&
        setResult({
          state: 'error',
          error: err instanceof ApiError ? err : new ApiError(0, { error: 'internal', message: String(err) }),
        }),
    );
    return () => {
      cancelled = true;
    };
    // loadedPath only tells a new path from a reload of the same one.
  }, [api, path, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [result, reload];
}
