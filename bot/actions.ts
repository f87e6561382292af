// Card actions (Action.Execute verbs; Action.Submit carries the same verb in its data).
import { renderNotice, renderSettings } from '../cards';
import { format, messages } from '../src/i18n';
import type { ErasureService } from '../src/privacy/erasure';
import type { Config } from '../src/config';
import type { SettingsService } from '../src/users/settings-service';
import { ActionRouter, type ActionSpec } from './router';

export interface ActionDependencies {
  config: Pick<Config, 'privacy'>;
  settings: SettingsService;
  erasure: ErasureService;
  /** Card actions of the feature modules. */
  extra: ActionSpec[];
}

export function createActions(deps: ActionDependencies): ActionRouter {
  const specs: ActionSpec[] = [
    {
      verb: 'settings.save',
      handle: async (turn, data) => {
        const result = await deps.settings.save(turn.userId, data, turn.user?.settings);
        // The card speaks the newly chosen language at once.
        const locale = result.ok ? (result.settings.language ?? turn.locale) : turn.locale;
        return renderSettings(locale, {
          settings: result.settings,
          kMin: deps.config.privacy.kMin,
          status: result.ok ? 'saved' : 'invalid',
        });
      },
    },
    {
      verb: 'privacy.erase',
      handle: async (turn, data) => {
        const e = messages(turn.locale).erase;
        if (data.confirm !== 'yes')
          return renderNotice({ title: e.confirmTitle, text: e.cancelled, tone: 'default' });
        const report = await deps.erasure.erase(turn.userId, { withAnswers: true });
        return renderNotice({ title: e.doneTitle, text: format(e.doneText, { ...report }), tone: 'good' });
      },
    },
  ];
  return new ActionRouter([...specs, ...deps.extra]);
}
