// Loading, error and "not available yet" states, the same in every view.
import { Button, MessageBar, MessageBarActions, MessageBarBody, Spinner } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { ApiError } from '../api';
import { useTab, type Loaded } from '../context';
import { format } from '../i18n';
import type { Disclosed } from '../../src/tab/view-types';

export function Loading() {
  const { texts } = useTab();
  return <Spinner size="small" label={texts.t.loading} role="status" />;
}

export function ErrorBar({ error, retry }: { error: ApiError; retry?: () => void }) {
  const { t } = useTab().texts;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{t.errors[error.body.error] ?? t.errors.internal}</MessageBarBody>
      {retry && (
        <MessageBarActions>
          <Button onClick={retry}>{t.retry}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

/** Renders a load's state, or `children(data)` once it is there. */
export function Load<T>({
  loaded,
  retry,
  children,
}: {
  loaded: Loaded<T>;
  retry: () => void;
  children: (data: T) => ReactNode;
}) {
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error') return <ErrorBar error={loaded.error} retry={retry} />;
  return <>{children(loaded.data)}</>;
}

/** Why a figure is not shown: never a number, always a reason. */
export function UnavailableBar({
  reason,
}: {
  reason: Extract<Disclosed<unknown>, { available: false }>['reason'];
}) {
  const { texts, session } = useTab();
  return (
    <MessageBar intent="info">
      <MessageBarBody>{format(texts.t.unavailable[reason], { k: session.kMin })}</MessageBarBody>
    </MessageBar>
  );
}

export function FeatureUnavailableBar() {
  const { t } = useTab().texts;
  return (
    <MessageBar intent="info">
      <MessageBarBody>{t.unavailable.feature}</MessageBarBody>
    </MessageBar>
  );
}
