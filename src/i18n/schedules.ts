// What Puls posts in the officers' channel when a recurring schedule started a run, or could not.
import { format, formatDate, pick, type Locale } from './index';
import type { ScheduleNotice } from '../surveys/schedule-scheduler';

const de = {
  started:
    'Zeitplan: Die Umfrage „{title}“ ({runId}) ist von selbst gestartet und ging an {recipients} Personen. Sie endet am {closes}.',
  failed: 'Zeitplan: Die Umfrage „{title}“ vom {date} konnte nicht starten: {reason}',
  missed:
    'Zeitplan: Die Umfrage „{title}“ vom {date} wurde nicht gestartet, weil Puls während des ganzen Befragungszeitraums nicht lief.',
  reasons: {
    audience: 'Die Zielgruppe ist zu klein ({recipients} erreichbare Personen, mindestens {kMin}).',
    survey: 'Die Umfrage gibt es nicht mehr.',
    groups: 'Die Gruppen können ohne Verzeichnis nicht aufgelöst werden.',
    other: 'Ein Fehler ist aufgetreten. Der Zeitplan versucht es beim nächsten Termin wieder.',
  },
};

const en: typeof de = {
  started:
    'Schedule: the survey "{title}" ({runId}) started by itself and went to {recipients} people. It closes on {closes}.',
  failed: 'Schedule: the survey "{title}" of {date} could not start: {reason}',
  missed:
    'Schedule: the survey "{title}" of {date} was not started because Puls was not running during its whole survey period.',
  reasons: {
    audience: 'The audience is too small ({recipients} reachable people, at least {kMin}).',
    survey: 'The survey no longer exists.',
    groups: 'The groups cannot be resolved without the directory.',
    other: 'Something went wrong. The schedule tries again at its next date.',
  },
};

/** The channel message for a schedule's notice; `title` is the survey's title where it is known. */
export function scheduleNoticeText(
  notice: ScheduleNotice,
  locale: Locale,
  title: { de: string; en: string } | undefined,
  kMin: number,
): string {
  const t = locale === 'en' ? en : de;
  const name = title ? pick(title, locale) : notice.schedule.surveyId;
  if (notice.kind === 'started')
    return format(t.started, {
      title: name,
      runId: notice.run.runId,
      recipients: notice.recipients,
      closes: formatDate(notice.run.closesAt, locale),
    });
  const date = formatDate(new Date(`${notice.occurrence}T12:00:00Z`), locale);
  if (notice.kind === 'missed') return format(t.missed, { title: name, date });
  const reason =
    notice.error === 'audience'
      ? format(t.reasons.audience, { recipients: notice.recipients ?? 0, kMin })
      : notice.error === 'survey' || notice.error === 'groups'
        ? t.reasons[notice.error]
        : t.reasons.other;
  return format(t.failed, { title: name, date, reason });
}
