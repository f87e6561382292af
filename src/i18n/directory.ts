// Texts about the directory (Entra ID): the start card's group search and reach, the settings card's
// district from the directory, the privacy card's directory section and the status card's reach.
import type { Locale } from '.';

const de = {
  groupSearchLabel: 'Zielgruppe: Gruppen aus dem Verzeichnis (Name suchen)',
  groupSearchPlaceholder: 'z. B. Bergedorf Digitalisierung',
  search: 'Suchen',
  groupsLabel: 'Gruppen (Mitglieder zählen mit, auch über verschachtelte Gruppen)',
  groupsNone: 'Keine Gruppe gefunden für „{text}“.',
  groupsSlow: 'Das Verzeichnis hat nicht rechtzeitig geantwortet – bitte noch einmal suchen.',
  audienceHint: 'Keine Auswahl = alle Beschäftigten. Bereiche und Gruppen werden zusammengezählt.',
  reachLabel: 'Reichweite',
  reach: 'erreicht: {installed} installiert, {installing} werden installiert, {unreachable} nicht erreichbar',
  reachCheck: 'Reichweite prüfen',
  reachPending:
    'Die Reichweite wird beim Start berechnet (das Verzeichnis hat nicht rechtzeitig geantwortet).',
  reachInstalledOnly:
    'erreicht: {installed} Personen, die Puls installiert haben. Ohne Verzeichnis (Entra ID) erreicht eine Umfrage nur sie, und ihr Bereich stammt aus ihren Einstellungen.',
  reachNotSynced:
    'Das Verzeichnis wird noch abgeglichen. Bis dahin erreicht eine Umfrage nur die {installed} Personen, die Puls installiert haben.',
  groupsInvalid: 'Gruppen können erst gewählt werden, wenn das Verzeichnis abgeglichen ist.',
  startedReach:
    '{installed} von {audience} installiert, {installing} werden installiert, {unreachable} nicht erreichbar',
  startedInstalledOnly: '{installed} (nur wer Puls installiert hat; kein Verzeichnis)',
  groupsWord: 'Gruppen',
  statusDirectory: 'Verzeichnis (Entra ID)',
  statusDirectoryValue: '{members} Beschäftigte, davon {installed} mit Puls, {unreachable} nicht erreichbar',
  statusDirectoryOff: 'nicht eingerichtet: „alle Beschäftigten“ sind nur die {installed} mit Puls',
  statusDirectoryNotSynced: 'noch nicht abgeglichen',
  statusLastSync: 'Letzter Abgleich',
  settingsDistrictFromDirectory: 'Bereich (aus dem Verzeichnis)',
  settingsDistrictFromDirectoryHint:
    'Ihr Bereich kommt aus dem Verzeichnis der Stadt (Entra ID) und wird nur für zusammengefasste Auswertungen verwendet (mindestens {k} Antworten). Stimmt er nicht, wenden Sie sich an Ihre IT.',
  privacyHeading: 'Verzeichnis (Entra ID)',
  privacyText:
    'Damit Umfragen alle erreichen, die sie betreffen, liest Puls aus dem Verzeichnis der Stadt nur: die Objekt-ID Ihres Kontos, ob es aktiv ist, ob es ein Mitglieds- oder Gastkonto ist, und das Feld {attribute}, aus dem Ihr Bereich abgeleitet wird. Gespeichert werden nur die Objekt-ID und der Bereich – kein Name, keine E-Mail-Adresse, keine Gruppenmitgliedschaft. Gruppen werden beim Start einer Umfrage aufgelöst; die Umfrage behält nur, an wen sie ging. Hat Puls noch keinen Chat mit Ihnen, installiert es sich für Sie, um die Umfrage zuzustellen.',
  attributes: {
    companyName: '„Firmenname“ (companyName)',
    department: '„Abteilung“ (department)',
    officeLocation: '„Bürostandort“ (officeLocation)',
  },
};

export type DirectoryMessages = typeof de;

const en: DirectoryMessages = {
  groupSearchLabel: 'Audience: groups from the directory (search by name)',
  groupSearchPlaceholder: 'e.g. Bergedorf digital',
  search: 'Search',
  groupsLabel: 'Groups (members count, also through nested groups)',
  groupsNone: 'No group found for “{text}”.',
  groupsSlow: 'The directory did not answer in time – please search again.',
  audienceHint: 'No selection = all staff. Organisations and groups are added up.',
  reachLabel: 'Reach',
  reach: 'reaches: {installed} installed, {installing} to be installed, {unreachable} unreachable',
  reachCheck: 'Check reach',
  reachPending: 'The reach is worked out at the start (the directory did not answer in time).',
  reachInstalledOnly:
    'reaches: {installed} people who installed Puls. Without the directory (Entra ID) a survey reaches only them, and their organisation comes from their settings.',
  reachNotSynced:
    'The directory is still being read. Until then a survey reaches only the {installed} people who installed Puls.',
  groupsInvalid: 'Groups can be chosen once the directory has been read.',
  startedReach:
    '{installed} of {audience} installed, {installing} to be installed, {unreachable} unreachable',
  startedInstalledOnly: '{installed} (only those who installed Puls; no directory)',
  groupsWord: 'groups',
  statusDirectory: 'Directory (Entra ID)',
  statusDirectoryValue: '{members} staff, {installed} of them with Puls, {unreachable} unreachable',
  statusDirectoryOff: 'not set up: “all staff” are only the {installed} with Puls',
  statusDirectoryNotSynced: 'not read yet',
  statusLastSync: 'Last read',
  settingsDistrictFromDirectory: 'Organisation (from the directory)',
  settingsDistrictFromDirectoryHint:
    "Your organisation comes from the city's directory (Entra ID) and is only used for aggregated results (at least {k} answers). If it is wrong, please contact your IT.",
  privacyHeading: 'Directory (Entra ID)',
  privacyText:
    "So that surveys reach everyone they concern, Puls reads only this from the city's directory: your account's object id, whether it is enabled, whether it is a member or a guest account, and the field {attribute} your organisation is derived from. Only the object id and the organisation are stored – no name, no e-mail address, no group membership. Groups are resolved when a survey starts; the survey keeps only whom it went to. If Puls has no chat with you yet, it installs itself for you to deliver the survey.",
  attributes: {
    companyName: '“company name” (companyName)',
    department: '“department” (department)',
    officeLocation: '“office location” (officeLocation)',
  },
};

export function directoryMessages(locale: Locale): DirectoryMessages {
  return locale === 'en' ? en : de;
}
