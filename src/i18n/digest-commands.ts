// Texts of the officers' digest and export commands, German first.
import type { Locale } from './index';

const de = {
  title: 'Puls · Wochenübersicht',
  sentTitle: 'Wochenübersicht gesendet',
  sentText:
    'Die Wochenübersicht steht jetzt im Kanal der Digitalisierungsbeauftragten. Sie zählt als die Übersicht dieser Woche: der Montagstermin entfällt.',
  alreadyTitle: 'Schon gesendet',
  alreadyText: 'Die Wochenübersicht dieser Woche steht seit {date} im Kanal. Noch einmal senden?',
  again: 'Noch einmal senden',
  busyText: 'Die Wochenübersicht wird gerade von Puls gesendet. Bitte sehen Sie gleich im Kanal nach.',
  noChannelTitle: 'Kein Kanal eingerichtet',
  noChannelText:
    'Puls kennt den Kanal der Digitalisierungsbeauftragten noch nicht. Fügen Sie Puls dem Team hinzu (oder setzen Sie OFFICERS_TEAM_ID).',
  exportTitle: 'Export',
  exportWhich: 'Welche Umfrage? Schreiben Sie „export“ und die Kennung, z. B. aus „umfragen“.',
  exportText:
    'Die zusammengefassten Zahlen der Umfrage {runId} als CSV (nur Aggregate, mit denselben Schwellen wie überall). Der Link gilt 15 Minuten.',
  exportOpen: 'CSV herunterladen',
};

export type DigestCommandMessages = typeof de;

const en: DigestCommandMessages = {
  title: 'Puls · Weekly digest',
  sentTitle: 'Weekly digest sent',
  sentText:
    "The weekly digest is now in the digitalisation officers' channel. It counts as this week's digest: Monday's post is skipped.",
  alreadyTitle: 'Already sent',
  alreadyText: "This week's digest has been in the channel since {date}. Send it again?",
  again: 'Send again',
  busyText: 'Puls is sending the weekly digest right now. Please look in the channel in a moment.',
  noChannelTitle: 'No channel set up',
  noChannelText:
    "Puls does not know the digitalisation officers' channel yet. Add Puls to the team (or set OFFICERS_TEAM_ID).",
  exportTitle: 'Export',
  exportWhich: 'Which survey? Type "export" and the survey id, e.g. from "surveys".',
  exportText:
    'The aggregated figures of survey {runId} as CSV (aggregates only, with the same thresholds as everywhere). The link is valid for 15 minutes.',
  exportOpen: 'Download CSV',
};

export function digestCommandMessages(locale: Locale): DigestCommandMessages {
  return locale === 'en' ? en : de;
}
