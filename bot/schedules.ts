// Tells the officers' channel what a recurring schedule did (a run started by itself, or why not).
// A background start has no officer's card to turn into a progress card, so a short channel post
// it is; nothing is posted while Puls is not in the officers' team.
import type { InstallationService } from '../src/installation/installation-service';
import type { Locale } from '../src/i18n';
import { scheduleNoticeText } from '../src/i18n/schedules';
import type { ScheduleNotice } from '../src/surveys/schedule-scheduler';
import type { ChannelPoster } from './proactive';

export function createScheduleNotifier(o: {
  installation: InstallationService;
  poster: ChannelPoster;
  locale: Locale;
  kMin: number;
  surveyTitle(surveyId: string): { de: string; en: string } | undefined;
}): (notice: ScheduleNotice) => Promise<void> {
  return async (notice) => {
    const channel = await o.installation.officersChannel();
    if (!channel) return;
    const title =
      notice.kind === 'started' ? notice.run.survey.title : o.surveyTitle(notice.schedule.surveyId);
    await o.poster.post(channel.reference, {
      type: 'message',
      text: scheduleNoticeText(notice, o.locale, title, o.kMin),
    });
  };
}
