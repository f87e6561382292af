// Texts of the officers' digest and export commands, German first.
import type { Locale } from './index';

const de = {
  title: 'Puls · Wochenübersicht',
  sentTitle: 'Wochenübersicht gesendet',
  sentText: 'Die Wochenübersicht steht jetzt im Kanal der Digitalisierungsbeauftragten.',
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
  sentText: "The weekly digest is now in the digitalisation officers' channel.",
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
