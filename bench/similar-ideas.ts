// Similar ideas: builds a SimilarityIndex of 10,000 synthetic German ideas (seeded, so every run
// sees the same texts), then times 1,000 searches with fresh idea texts, and 200 more that each
// follow an add (the bot's pattern: search, then save; every add invalidates the cached idfs/norms).
// Also checks that a planted near-duplicate comes back in the top 3.
import { DEFAULT_MIN_SCORE, SimilarityIndex } from '../src/ideas/similarity';
import { fmt, percentile } from './support';

const IDEAS = 10_000;
const SEARCHES = 1_000;
const SEARCHES_AFTER_ADD = 200;
const WARMUP = 100;

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Topic {
  /** Noun phrases in the nominative, usable after "die/der/das" or alone. */
  nouns: string[];
  /** Whole clauses describing the current problem ("... , weil <problem>."). */
  problems: string[];
  /** Infinitive clauses: what should be done ("Wir sollten <action>."). */
  actions: string[];
}

const TOPICS: Topic[] = [
  {
    nouns: [
      'E-Akte',
      'papierlose Aktenführung',
      'elektronische Vorgangsbearbeitung',
      'Aktenarchiv',
      'Scanstelle',
    ],
    problems: [
      'Papierakten zwischen den Abteilungen hin und her geschickt werden',
      'wir jeden Vorgang doppelt ablegen, auf Papier und im Laufwerk',
      'das Archiv im Keller voll ist',
    ],
    actions: ['alle neuen Vorgänge nur noch in der E-Akte führen', 'Posteingänge zentral scannen'],
  },
  {
    nouns: [
      'Microsoft Teams',
      'Teams-Kanäle',
      'Videokonferenzen',
      'gemeinsame Dateiablage',
      'Chatnachrichten',
    ],
    problems: [
      'viele Besprechungen noch mit Anreise stattfinden',
      'Dateien per E-Mail hin und her geschickt werden',
      'niemand weiß, in welchem Kanal etwas liegt',
    ],
    actions: [
      'feste Regeln für Kanäle und Dateiablage vereinbaren',
      'Besprechungen standardmäßig hybrid anbieten',
    ],
  },
  {
    nouns: ['Fortbildungen', 'Schulungsangebote', 'E-Learning-Kurse', 'Weiterbildung', 'Mentoringprogramm'],
    problems: [
      'die Fortbildungsplätze schnell ausgebucht sind',
      'neue Software ohne Schulung eingeführt wird',
      'Wissen nur mündlich weitergegeben wird',
    ],
    actions: ['kurze Online-Schulungen zu neuen Programmen anbieten', 'ein Mentoring für Neue einführen'],
  },
  {
    nouns: ['Kantine', 'vegetarisches Mittagessen', 'Speiseplan', 'Kaffeeautomat', 'Pausenraum'],
    problems: [
      'es in der Kantine kaum vegetarische Gerichte gibt',
      'der Kaffeeautomat ständig defekt ist',
      'der Pausenraum zu klein ist',
    ],
    actions: ['täglich ein veganes Gericht anbieten', 'den Speiseplan digital veröffentlichen'],
  },
  {
    nouns: ['Homeoffice', 'mobiles Arbeiten', 'Telearbeit', 'Dienstvereinbarung zum mobilen Arbeiten'],
    problems: [
      'der Antrag auf mobiles Arbeiten viel zu kompliziert ist',
      'Laptops für das Homeoffice fehlen',
      'die VPN-Verbindung morgens überlastet ist',
    ],
    actions: ['den Antrag auf mobiles Arbeiten vereinfachen', 'mehr VPN-Zugänge bereitstellen'],
  },
  {
    nouns: ['Online-Terminvergabe', 'Kundenzentrum', 'Wartezeiten', 'Servicetelefon', 'Bürgerservice'],
    problems: [
      'Bürgerinnen und Bürger wochenlang auf einen Termin warten',
      'das Servicetelefon ständig besetzt ist',
      'viele Termine nicht wahrgenommen werden',
    ],
    actions: [
      'eine Erinnerung per SMS vor dem Termin verschicken',
      'freie Termine tagesaktuell online anzeigen',
    ],
  },
  {
    nouns: ['Energiesparen', 'Photovoltaikanlage', 'Mülltrennung', 'LED-Beleuchtung', 'Heizungssteuerung'],
    problems: [
      'die Heizung auch am Wochenende läuft',
      'in den Büros der Müll nicht getrennt wird',
      'das Licht in den Fluren den ganzen Tag brennt',
    ],
    actions: ['Bewegungsmelder in den Fluren installieren', 'eine Photovoltaikanlage auf dem Dach bauen'],
  },
  {
    nouns: ['Dienstfahrräder', 'E-Bikes', 'HVV-ProfiTicket', 'Fahrradstellplätze', 'Dienstwagen'],
    problems: [
      'für Außentermine nur wenige Dienstwagen verfügbar sind',
      'es keine sicheren Fahrradstellplätze gibt',
      'Dienstreisen umständlich abgerechnet werden',
    ],
    actions: ['Dienstfahrräder für Außentermine anschaffen', 'überdachte Fahrradstellplätze bauen'],
  },
  {
    nouns: ['Laptops', 'zweiter Monitor', 'Headsets', 'Drucker', 'IT-Support', 'Softwareverteilung'],
    problems: [
      'der IT-Support oft tagelang nicht antwortet',
      'die Drucker ständig Papierstau haben',
      'ohne zweiten Monitor das Arbeiten mit zwei Anwendungen mühsam ist',
    ],
    actions: [
      'jeden Arbeitsplatz mit zwei Monitoren ausstatten',
      'ein Ticketsystem für den IT-Support einführen',
    ],
  },
  {
    nouns: [
      'Gesundheitsmanagement',
      'Sportangebote',
      'ergonomische Arbeitsplätze',
      'höhenverstellbare Schreibtische',
    ],
    problems: [
      'viele über Rückenschmerzen klagen',
      'die Stühle in den Büros veraltet sind',
      'es keine Sportangebote nach Dienstschluss gibt',
    ],
    actions: ['höhenverstellbare Schreibtische anschaffen', 'eine bewegte Pause am Vormittag anbieten'],
  },
  {
    nouns: [
      'Bauanträge',
      'Baugenehmigungen',
      'digitale Bauakte',
      'Bauprüfung',
      'Stellungnahmen der Fachämter',
    ],
    problems: [
      'Bauanträge monatelang in der Prüfung liegen',
      'Stellungnahmen der Fachämter per Post angefordert werden',
      'Antragsteller nie wissen, wie weit ihr Verfahren ist',
    ],
    actions: ['Bauanträge vollständig digital annehmen', 'den Bearbeitungsstand online einsehbar machen'],
  },
  {
    nouns: [
      'Online-Formulare',
      'Onlinezugangsgesetz',
      'digitale Antragsstrecken',
      'Servicekonto',
      'E-Payment',
    ],
    problems: [
      'Formulare ausgedruckt, ausgefüllt und wieder abgetippt werden',
      'Gebühren nur bar bezahlt werden können',
      'Online-Anträge als PDF ankommen und abgetippt werden',
    ],
    actions: [
      'Online-Anträge direkt in die Fachverfahren übernehmen',
      'Kartenzahlung an allen Kassen ermöglichen',
    ],
  },
  {
    nouns: ['Stellenausschreibungen', 'Bewerbungsverfahren', 'Nachwuchsgewinnung', 'Ausbildung', 'Praktika'],
    problems: [
      'Stellen monatelang unbesetzt bleiben',
      'Bewerbungsverfahren viel zu lange dauern',
      'junge Menschen die Verwaltung als Arbeitgeber nicht kennen',
    ],
    actions: [
      'Bewerbungsverfahren auf sechs Wochen begrenzen',
      'Praktika für Schülerinnen und Schüler anbieten',
    ],
  },
  {
    nouns: ['Wissensdatenbank', 'Wiki', 'Vertretungsregelung', 'Übergabedokumentation', 'Checklisten'],
    problems: [
      'bei Ruhestand viel Wissen verloren geht',
      'Vertretungen nicht wissen, wo die Unterlagen liegen',
      'jede Abteilung eigene Checklisten pflegt',
    ],
    actions: [
      'ein gemeinsames Wiki für Arbeitsabläufe aufbauen',
      'Übergaben vor dem Ruhestand verbindlich regeln',
    ],
  },
  {
    nouns: [
      'Künstliche Intelligenz',
      'KI-Assistent',
      'Chatbot',
      'automatische Übersetzung',
      'Textzusammenfassungen',
    ],
    problems: [
      'einfache Anfragen von Bürgern viel Zeit binden',
      'Schreiben in Fremdsprachen extern übersetzt werden müssen',
      'lange Stellungnahmen mühsam zusammengefasst werden',
    ],
    actions: ['einen KI-Assistenten für Standardanfragen testen', 'Texte automatisch übersetzen lassen'],
  },
  {
    nouns: ['Leichte Sprache', 'Barrierefreiheit', 'mehrsprachige Informationen', 'Dolmetscherdienste'],
    problems: [
      'unsere Bescheide für viele unverständlich sind',
      'die Webseiten nicht barrierefrei sind',
      'Dolmetscher kurzfristig nicht verfügbar sind',
    ],
    actions: ['Bescheide in Leichter Sprache erklären', 'einen Videodolmetscherdienst nutzen'],
  },
  {
    nouns: ['Desk-Sharing', 'Besprechungsräume', 'Raumbuchung', 'Ruheräume', 'Büropflanzen'],
    problems: [
      'Besprechungsräume doppelt gebucht werden',
      'es keinen ruhigen Ort für konzentriertes Arbeiten gibt',
      'viele Schreibtische leer stehen',
    ],
    actions: ['ein Buchungssystem für Räume und Arbeitsplätze einführen', 'Ruheräume einrichten'],
  },
  {
    nouns: ['Gleitzeit', 'Zeiterfassung', 'Überstunden', 'Teilzeitmodelle', 'Arbeitszeitkonto'],
    problems: [
      'die Zeiterfassung noch auf Papier läuft',
      'Überstunden verfallen',
      'Teilzeitkräfte bei Besprechungen oft nicht da sind',
    ],
    actions: ['die Zeiterfassung digitalisieren', 'Kernzeiten abschaffen'],
  },
  {
    nouns: ['Beschaffung', 'Rahmenverträge', 'Bestellprozess', 'Büromaterial', 'Vergabeverfahren'],
    problems: [
      'einfaches Büromaterial wochenlang auf sich warten lässt',
      'für jede Bestellung drei Unterschriften nötig sind',
      'Vergabeverfahren für kleine Beträge zu aufwendig sind',
    ],
    actions: ['einen Onlineshop für Büromaterial nutzen', 'die Wertgrenzen für Direktaufträge anheben'],
  },
  {
    nouns: ['Intranet', 'Newsletter', 'Infobildschirme', 'interne Kommunikation', 'Mitarbeiterzeitung'],
    problems: [
      'wichtige Informationen im Intranet nicht gefunden werden',
      'Neuigkeiten nur über Flurfunk verbreitet werden',
      'die Amtsleitung selten direkt informiert',
    ],
    actions: ['einen monatlichen Newsletter einführen', 'die Suche im Intranet verbessern'],
  },
  {
    nouns: ['Posteingang', 'Hauspost', 'Poststelle', 'digitaler Posteingang', 'Postlaufzeiten'],
    problems: [
      'die Hauspost zwischen den Standorten drei Tage braucht',
      'Briefe mehrfach kopiert werden',
      'Fristen wegen langer Postlaufzeiten knapp werden',
    ],
    actions: ['die Post zentral digitalisieren und elektronisch verteilen', 'Hauspost täglich zustellen'],
  },
  {
    nouns: ['Spielplätze', 'Straßenbäume', 'Grünanlagen', 'Sauberkeit im Stadtteil', 'Mängelmelder'],
    problems: [
      'Meldungen über Schäden an Spielplätzen verloren gehen',
      'Müll in den Grünanlagen liegen bleibt',
      'Bürger nicht erfahren, was mit ihrer Meldung passiert',
    ],
    actions: [
      'den Mängelmelder direkt an die Fachämter anbinden',
      'mehr Mülleimer in Grünanlagen aufstellen',
    ],
  },
  {
    nouns: ['Betriebsausflug', 'Sommerfest', 'Teamevents', 'Ehrenamtstag', 'Begrüßung neuer Kolleginnen'],
    problems: [
      'sich die Abteilungen kaum kennen',
      'neue Kolleginnen und Kollegen niemanden kennen',
      'der letzte Betriebsausflug Jahre her ist',
    ],
    actions: ['ein jährliches Sommerfest organisieren', 'neue Kolleginnen mit einem Begrüßungstag empfangen'],
  },
  {
    nouns: [
      'Datenschutz',
      'Informationssicherheit',
      'Passwortregeln',
      'Phishing-Mails',
      'Zwei-Faktor-Anmeldung',
    ],
    problems: [
      'immer wieder Phishing-Mails geöffnet werden',
      'Passwörter auf Zetteln am Monitor kleben',
      'Datenschutzfragen lange unbeantwortet bleiben',
    ],
    actions: ['regelmäßige Phishing-Übungen durchführen', 'einen Passwortmanager bereitstellen'],
  },
];

const TITLES = [
  (n: string) => `${n} verbessern`,
  (n: string) => `Mehr ${n} für alle`,
  (n: string) => `Vorschlag zu ${n}`,
  (n: string) => `${n}: einfacher und schneller`,
  (n: string) => `Neue Ideen für ${n}`,
  (n: string) => `${n} im Bezirksamt`,
];

const FILLER = [
  'Das würde vielen Kolleginnen und Kollegen im Alltag helfen.',
  'In anderen Bezirken gibt es so etwas bereits und die Erfahrungen sind gut.',
  'Die Kosten wären überschaubar und könnten aus dem laufenden Budget kommen.',
  'Ich bin gerne bereit, bei der Umsetzung mitzuarbeiten.',
  'Aus meiner Sicht wäre ein Pilot in einer Abteilung ein guter erster Schritt.',
  'Das spart Zeit, Papier und Nerven.',
  'Auch die Bürgerinnen und Bürger würden davon profitieren.',
  'Die Personalvertretung sollte früh eingebunden werden.',
  'Wichtig ist, dass die Lösung auch für Teilzeitkräfte funktioniert.',
  'Vielleicht kann die Fachabteilung prüfen, ob das rechtlich möglich ist.',
];

const CONNECTORS = [
  (n: string, p: string) => `Bei ${n} gibt es seit Langem Probleme, weil ${p}.`,
  (n: string, p: string) => `Derzeit ist ${n} ein Ärgernis, da ${p}.`,
  (n: string, p: string) => `Mir ist aufgefallen, dass ${p}; das betrifft vor allem ${n}.`,
];

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** One idea: a title and 30–150 words of description, mostly about one topic, sometimes two. */
function idea(rand: () => number, minWords: number, maxWords: number): string {
  const topic = pick(rand, TOPICS);
  const second = rand() < 0.3 ? pick(rand, TOPICS) : topic;
  const target = minWords + Math.floor(rand() * (maxWords - minWords + 1));
  const sentences = [pick(rand, TITLES)(pick(rand, topic.nouns)) + '.'];
  let words = sentences[0]!.split(' ').length;
  while (words < target) {
    const t = rand() < 0.75 ? topic : second;
    const r = rand();
    let s: string;
    if (r < 0.3) s = pick(rand, CONNECTORS)(pick(rand, t.nouns), pick(rand, t.problems));
    else if (r < 0.55) s = `Ich schlage vor, ${pick(rand, t.actions)}.`;
    else if (r < 0.7) s = `Wir sollten ${pick(rand, t.actions)} und dabei ${pick(rand, t.nouns)} mitdenken.`;
    else s = pick(rand, FILLER);
    sentences.push(s);
    words += s.split(' ').length;
  }
  return sentences.join(' ');
}

const PLANTED =
  'Dienstfahrräder für Außentermine im Bezirk. Für Ortstermine der Bauprüfung und des Fachamts Stadtgrün ' +
  'sollten wir zehn Lastenräder und E-Bikes anschaffen, statt auf die wenigen Dienstwagen zu warten. ' +
  'Die Räder könnten in der Tiefgarage geladen und über das Raumbuchungssystem reserviert werden.';
const PLANTED_QUERY =
  'E-Bikes und Lastenräder für Ortstermine: Statt lange auf Dienstwagen zu warten, könnte das Bezirksamt ' +
  'Diensträder für die Außentermine der Bauprüfung und von Stadtgrün kaufen, reserviert per Raumbuchung.';

/** Ideas on subjects none of the generated ideas is about: these should find nothing. */
const UNRELATED = [
  'Weihnachtsfeier mit Glühwein im Innenhof organisieren',
  'Eine neue Kaffeemaschine mit Milchschäumer für die zweite Etage',
  'Hundefreundliches Büro: Hunde an ausgewählten Tagen mitbringen dürfen',
  'Bienenstöcke auf dem Dach des Rathauses aufstellen und eigenen Honig verkaufen',
  'Ein Chor für alle, die gerne singen, mit Proben in der Mittagspause',
  'Schließfächer für Wertsachen im Eingangsbereich einbauen',
  'Trinkwasserspender in jedem Stockwerk statt Plastikflaschen',
  'Fundsachen aus dem Fundbüro einmal im Jahr versteigern',
  'A table tennis table in the basement for lunch breaks',
  'Mehr Steckdosen in den Sitzungssälen',
];

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function benchSimilarIdeas(): Promise<void> {
  const rand = prng(20261123);
  const texts = Array.from({ length: IDEAS }, () => idea(rand, 30, 150));
  const queries = Array.from({ length: SEARCHES + WARMUP + SEARCHES_AFTER_ADD }, () => idea(rand, 8, 60));
  const words = texts.reduce((sum, t) => sum + t.split(' ').length, 0);

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const index = new SimilarityIndex();
  const buildStart = performance.now();
  texts.forEach((text, i) => index.add(`idea-${i}`, text));
  index.add('planted', PLANTED);
  const buildMs = performance.now() - buildStart;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  // The first search after a bulk load computes every document's norm sums once.
  const firstStart = performance.now();
  index.search(queries[0]!);
  const firstMs = performance.now() - firstStart;
  for (let i = 1; i < WARMUP; i++) index.search(queries[i]!);

  let hits = 0;
  const topScores: number[] = [];
  const latencies: number[] = [];
  for (let i = WARMUP; i < WARMUP + SEARCHES; i++) {
    const t0 = performance.now();
    const found = index.search(queries[i]!);
    latencies.push(performance.now() - t0);
    hits += found.length;
    topScores.push(found[0]?.score ?? 0);
  }
  latencies.sort((a, b) => a - b);
  topScores.sort((a, b) => a - b);

  // The bot's pattern: search, then save; each add updates the norm sums of the documents it affects.
  const afterAdd: number[] = [];
  const adds: number[] = [];
  for (let i = WARMUP + SEARCHES; i < queries.length; i++) {
    let t0 = performance.now();
    index.search(queries[i]!);
    afterAdd.push(performance.now() - t0);
    t0 = performance.now();
    index.add(`new-${i}`, queries[i]!);
    adds.push(performance.now() - t0);
  }
  afterAdd.sort((a, b) => a - b);
  adds.sort((a, b) => a - b);

  const unrelated = UNRELATED.map((q) => index.search(q, { minScore: 0 })[0]?.score ?? 0);
  const unrelatedHits = unrelated.filter((score) => score >= DEFAULT_MIN_SCORE).length;
  const planted = index.search(PLANTED_QUERY);
  const rank = planted.findIndex((h) => h.id === 'planted');

  console.log(
    `\nSimilar ideas: ${IDEAS.toLocaleString('en')} ideas (avg ${Math.round(words / IDEAS)} words)`,
  );
  console.log(
    `  build:                  ${fmt(buildMs)} (${((buildMs * 1000) / IDEAS).toFixed(0)} µs per idea)`,
  );
  console.log(`  first search after load: ${fmt(firstMs)}`);
  console.log(
    `  search:                 p50 ${fmt(percentile(latencies, 50))}  p99 ${fmt(percentile(latencies, 99))}  ` +
      `max ${fmt(latencies[latencies.length - 1]!)}  (${(hits / SEARCHES).toFixed(2)} hits per search, ` +
      `best score p50 ${percentile(topScores, 50).toFixed(2)})`,
  );
  console.log(
    `  search right after add: p50 ${fmt(percentile(afterAdd, 50))}  p99 ${fmt(percentile(afterAdd, 99))}  ` +
      `max ${fmt(afterAdd[afterAdd.length - 1]!)}`,
  );
  console.log(
    `  add (index in use):     p50 ${fmt(percentile(adds, 50))}  p99 ${fmt(percentile(adds, 99))}  ` +
      `max ${fmt(adds[adds.length - 1]!)}`,
  );
  console.log(
    `  heap used by the index: ${mb(heapAfter - heapBefore)}${global.gc ? '' : ' (run with --expose-gc for a steadier figure)'}`,
  );
  console.log(
    `  unrelated queries:      ${unrelatedHits} of ${UNRELATED.length} with a hit ≥ ${DEFAULT_MIN_SCORE}; ` +
      `best scores ${unrelated.map((x) => x.toFixed(2)).join(' ')}`,
  );
  console.log(
    `  planted near-duplicate: ${rank >= 0 ? `found at rank ${rank + 1}, score ${planted[rank]!.score.toFixed(2)}` : 'NOT FOUND in the top 3'}`,
  );
}
