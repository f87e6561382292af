// Similar ideas: German-aware tokenization (folding, stop words, stemming, compounds) and the TF-IDF
// index (ranking, threshold, limit, exclude, replace, remove, exact scores after changes).
import { DEFAULT_MIN_SCORE, SimilarityIndex, stem, tokenize } from '../../src/ideas/similarity';

describe('tokenize', () => {
  it('when a text has umlauts, then they are folded and the words stemmed', () => {
    expect(tokenize('Fortbildungen für Führungskräfte')).toEqual([
      'fortbild',
      'fuhrungskraft',
      'fuhr',
      'kraft',
    ]);
  });

  it('when a word is written with umlaut, with ae/oe/ue or ß/ss, or in capitals, then the tokens are the same', () => {
    expect(tokenize('Größe')).toEqual(['gross']);
    expect(tokenize('Groesse')).toEqual(['gross']);
    expect(tokenize('GRÖSSE')).toEqual(['gross']);
    expect(tokenize('Straße')).toEqual(tokenize('Strasse'));
    expect(tokenize('Anträge')).toEqual(tokenize('Antraege'));
  });

  it('when a word has accents, then they are dropped', () => {
    expect(tokenize('Café')).toEqual(tokenize('Cafe'));
    expect(tokenize('naïve Résumé')).toEqual(tokenize('naive resume'));
  });

  it('when a text has German and English stop words, also spelled without umlauts, then they are dropped', () => {
    expect(tokenize('Der Antrag für die und über fuer ueber oder nicht mit the and of to')).toEqual([
      'antrag',
    ]);
    expect(tokenize('Wir sollten das auch noch machen, wenn es geht')).toEqual(['mach', 'geht']);
  });

  it('when a text has words every idea here contains, then they are dropped', () => {
    expect(tokenize('Meine Idee für alle Kolleginnen und Kollegen im Bezirksamt')).toEqual([]);
  });

  it('when words are short, then they are dropped except numbers and capital acronyms', () => {
    expect(tokenize('KI im IT-Bereich, Office 365, ab 2 Uhr')).toEqual([
      'ki',
      'it',
      'bereich',
      'offic',
      '365',
      'uhr',
    ]);
    expect(tokenize('ES IN ki')).toEqual([]);
  });

  it('when text has punctuation, hyphens or line breaks, then words are split there', () => {
    expect(tokenize('Teams-Schulungen!\nE-Akte; (Bauanträge)')).toEqual([
      'team',
      'schul',
      'akt',
      'bauantrag',
    ]);
  });

  it('when words are inflected forms of one another, then they share a stem', () => {
    const groups = [
      ['Schulung', 'Schulungen', 'schulungs'],
      ['digital', 'digitale', 'digitalen', 'Digitalisierung', 'digitalisiert'],
      ['Antrag', 'Anträge', 'Anträgen'],
      ['Amt', 'Ämter', 'Ämtern'],
      ['Prozess', 'Prozesse', 'Prozessen'],
      ['Regel', 'Regeln'],
      ['Papier', 'Papiere', 'Papieren'],
      ['Team', 'Teams'],
      ['Bürger', 'Bürgerinnen', 'Bürgern'],
      ['freundlich', 'freundliche', 'Freundlichkeit'],
      ['Meeting', 'Meetings'],
    ];
    for (const group of groups) {
      const stems = group.map((w) => tokenize(w)[0]);
      expect(new Set(stems).size).toBe(1);
    }
  });

  it('when stemming, then stems keep at least three letters and unrelated words stay apart', () => {
    expect(stem('akte')).toBe('akt');
    expect(stem('jung')).toBe('jung');
    expect(stem('papier')).toBe('papier');
    expect(stem('system')).toBe('system');
    expect(stem('prozess')).toBe('prozess');
    expect(tokenize('Kantine')[0]).not.toBe(tokenize('Kante')[0]);
  });

  it('when a compound has an unambiguous joint, then its parts are tokens too', () => {
    expect(tokenize('Digitalisierungsstrategie')).toEqual([
      'digitalisierungsstrategi',
      'digital',
      'strategi',
    ]);
    expect(tokenize('Informationssicherheitskonzept')).toEqual(
      expect.arrayContaining(['information', 'sicher', 'konzept']),
    );
  });

  it('when a long word has no joint, then its 5-letter prefix and suffix are tokens too', () => {
    expect(tokenize('Dienstreiseantrag')).toEqual(['dienstreiseantrag', 'diens', 'ntrag']);
    expect(tokenize('Urlaubsantrag')).toContain('ntrag');
  });

  it('when the text is empty or has no words, then there are no tokens', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' -- !!! ')).toEqual([]);
  });
});

function indexOf(ideas: Record<string, string>): SimilarityIndex {
  const index = new SimilarityIndex();
  for (const [id, text] of Object.entries(ideas)) index.add(id, text);
  return index;
}

const IDEAS = {
  akte: 'Papierlose Akte für Bauanträge\nBauanträge sollten vollständig digital in der E-Akte bearbeitet werden, statt Papierakten zwischen den Abteilungen hin und her zu schicken.',
  teams:
    'Mehr Fortbildungen zu Microsoft Teams\nViele Kolleginnen und Kollegen nutzen Teams nur für Chats. Schulungen zu Kanälen, Dateien und Besprechungen würden helfen.',
  kantine:
    'Kantine: vegetarisches Essen\nDie Kantine sollte jeden Tag mindestens ein vegetarisches oder veganes Gericht anbieten.',
  fahrrad:
    'Dienstfahrräder für Außentermine\nFür Ortstermine sollten E-Bikes statt Dienstwagen zur Verfügung stehen.',
  strategie:
    'Digitalisierungsstrategie für den Bezirk\nEs braucht eine klare Strategie, welche Verfahren zuerst umgestellt werden.',
  homeoffice:
    'Homeoffice-Regelung vereinfachen\nDie Anträge für mobiles Arbeiten sind zu kompliziert und dauern zu lange.',
  english:
    'Online training for new employees\nNew colleagues should get a short online training about our IT systems in their first week.',
};

describe('SimilarityIndex', () => {
  it('when a new idea is like a stored one, then that one is found first and unrelated ones are not', () => {
    const index = indexOf({
      akte: 'Papierlose Akte für Bauanträge',
      teams: 'Mehr Fortbildungen zu Microsoft Teams',
      kantine: 'Kantine: vegetarisches Essen',
    });
    const hits = index.search('Teams-Schulungen für alle Kolleginnen');
    expect(hits[0]?.id).toBe('teams');
    expect(hits.map((h) => h.id)).not.toContain('kantine');
  });

  it('when ideas with descriptions are stored, then topical queries find the right one first', () => {
    const index = indexOf(IDEAS);
    expect(index.search('Teams-Schulungen für alle Kolleginnen')[0]?.id).toBe('teams');
    expect(index.search('Vegane Gerichte in der Kantine')[0]?.id).toBe('kantine');
    expect(index.search('Bauanträge digital bearbeiten')[0]?.id).toBe('akte');
    expect(index.search('Antrag auf mobiles Arbeiten vereinfachen')[0]?.id).toBe('homeoffice');
    expect(index.search('Lastenräder und E-Bikes für Außentermine')[0]?.id).toBe('fahrrad');
  });

  it('when an idea is a near-duplicate of a stored one, then it scores high', () => {
    const index = indexOf(IDEAS);
    const [hit] = index.search(
      'Mehr Schulungen zu Microsoft Teams. Viele Kolleginnen und Kollegen nutzen Teams bisher nur für den Chat; Fortbildungen zu Kanälen, Dateien und Besprechungen wären hilfreich.',
    );
    expect(hit?.id).toBe('teams');
    expect(hit!.score).toBeGreaterThan(0.8);
  });

  it('when the very same text is searched, then the score is 1', () => {
    const index = indexOf(IDEAS);
    const [hit] = index.search(IDEAS.kantine);
    expect(hit).toEqual({ id: 'kantine', score: expect.closeTo(1, 10) as number });
  });

  it('when an idea is unrelated to all stored ones, then nothing is returned', () => {
    const index = indexOf(IDEAS);
    expect(index.search('Weihnachtsfeier mit Glühwein im Innenhof organisieren')).toEqual([]);
    expect(index.search('Bessere Kaffeemaschine im Pausenraum')).toEqual([]);
    expect(index.search('Mehr Grünpflanzen in den Büros')).toEqual([]);
    expect(index.search('Neue Drucker für das Bezirksamt')).toEqual([]);
  });

  it('when an idea shares only a generic word, then it stays below the default threshold', () => {
    const index = indexOf(IDEAS);
    const hits = index.search('Weihnachtsfeier für alle Kolleginnen und Kollegen organisieren', {
      minScore: 0,
    });
    expect(hits.every((h) => h.score < DEFAULT_MIN_SCORE)).toBe(true);
  });

  it('when "Digitalisierung" is searched, then the "Digitalisierungsstrategie" is found, and the other way round', () => {
    const { akte: _digitalToo, ...others } = IDEAS;
    expect(
      indexOf(others)
        .search('Digitalisierung')
        .map((h) => h.id),
    ).toEqual(['strategie']);
    const reverse = indexOf({
      digital: 'Digitalisierung der Verfahren',
      kantine: IDEAS.kantine,
      teams: IDEAS.teams,
    });
    expect(reverse.search('Digitalisierungsstrategie').map((h) => h.id)).toEqual(['digital']);
  });

  it('when the text is English, then similar English ideas are found', () => {
    const index = indexOf(IDEAS);
    const hits = index.search('Training for new employees about IT systems');
    expect(hits[0]?.id).toBe('english');
    expect(index.search('A table tennis table in the basement')).toEqual([]);
  });

  it('when many ideas match, then at most `limit` are returned, best first (3 by default)', () => {
    const index = new SimilarityIndex();
    for (let i = 0; i < 10; i++) index.add(`k${i}`, `Kantine vegetarisches Essen ${'vegan '.repeat(i)}`);
    const hits = index.search('vegetarisches Essen in der Kantine');
    expect(hits).toHaveLength(3);
    expect(index.search('vegetarisches Essen in der Kantine', { limit: 5 })).toHaveLength(5);
    expect(index.search('vegetarisches Essen in der Kantine', { limit: 0 })).toEqual([]);
    const all = index.search('vegetarisches Essen in der Kantine', { limit: 100 });
    expect(all).toHaveLength(10);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.score).toBeGreaterThanOrEqual(all[i]!.score);
    expect(all[0]!.id).toBe('k0');
  });

  it('when exclude is given, then the excluded ids are skipped and others fill up the limit', () => {
    const index = new SimilarityIndex();
    for (let i = 0; i < 5; i++) index.add(`k${i}`, `Kantine vegetarisches Essen ${'vegan '.repeat(i)}`);
    const asked: string[] = [];
    const hits = index.search('vegetarisches Essen in der Kantine', {
      limit: 2,
      exclude: (id) => {
        asked.push(id);
        return id === 'k0' || id === 'k1';
      },
    });
    expect(hits.map((h) => h.id)).toEqual(['k2', 'k3']);
    expect(asked).toEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('when minScore is given, then it replaces the default threshold', () => {
    const index = indexOf(IDEAS);
    const query = 'Kantine länger öffnen und Homeoffice-Tage tauschen';
    const loose = index.search(query, { minScore: 0.05, limit: 10 });
    expect(loose.map((h) => h.id)).toEqual(expect.arrayContaining(['kantine', 'homeoffice']));
    expect(index.search(query, { minScore: 0.99 })).toEqual([]);
  });

  it('when an id is added again, then its new text replaces the old one', () => {
    const index = indexOf(IDEAS);
    index.add('kantine', 'Fahrradstellplätze überdachen');
    expect(index.size).toBe(Object.keys(IDEAS).length);
    expect(index.search('Vegane Gerichte in der Kantine')).toEqual([]);
    expect(index.search('Überdachte Fahrradstellplätze')[0]?.id).toBe('kantine');
  });

  it('when an id is removed, then it is no longer found and size and has reflect it', () => {
    const index = indexOf(IDEAS);
    expect(index.has('teams')).toBe(true);
    index.remove('teams');
    index.remove('unknown');
    expect(index.has('teams')).toBe(false);
    expect(index.size).toBe(Object.keys(IDEAS).length - 1);
    expect(index.search('Teams-Schulungen für alle Kolleginnen').map((h) => h.id)).not.toContain('teams');
    index.add('teams', IDEAS.teams);
    expect(index.search('Teams-Schulungen für alle Kolleginnen')[0]?.id).toBe('teams');
  });

  it('when the index or the query is empty, then nothing is returned', () => {
    expect(new SimilarityIndex().search('Kantine')).toEqual([]);
    const index = indexOf(IDEAS);
    expect(index.search('')).toEqual([]);
    expect(index.search('und oder aber')).toEqual([]);
    index.add('empty', '!!!');
    expect(index.has('empty')).toBe(true);
    expect(index.search('Kantine')[0]?.id).toBe('kantine');
  });

  it('when the index changes between searches, then scores equal those of an index built afresh', () => {
    const words = [
      'Kantine',
      'vegetarisch',
      'Essen',
      'Teams',
      'Schulung',
      'Akte',
      'digital',
      'Bauantrag',
      'Fahrrad',
      'Dienstwagen',
      'Homeoffice',
      'Antrag',
      'Drucker',
      'Monitor',
      'Gleitzeit',
      'Zeiterfassung',
      'Wiki',
    ];
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const text = () =>
      Array.from({ length: 3 + Math.floor(rand() * 8) }, () => words[Math.floor(rand() * words.length)]).join(
        ' ',
      );
    const live = new SimilarityIndex();
    const docs = new Map<string, string>();
    for (let step = 0; step < 400; step++) {
      const id = `d${Math.floor(rand() * 40)}`;
      const r = rand();
      if (r < 0.2) {
        live.remove(id);
        docs.delete(id);
      } else {
        const t = text();
        live.add(id, t);
        docs.set(id, t);
      }
      if (step % 7 === 0) live.search(text());
    }
    const fresh = indexOf(Object.fromEntries(docs));
    expect(live.size).toBe(docs.size);
    for (let q = 0; q < 20; q++) {
      const query = text();
      const a = live.search(query, { limit: 50, minScore: 0 });
      const b = fresh.search(query, { limit: 50, minScore: 0 });
      expect(a.map((h) => h.id).sort()).toEqual(b.map((h) => h.id).sort());
      const scores = new Map(b.map((h) => [h.id, h.score]));
      for (const h of a) expect(h.score).toBeCloseTo(scores.get(h.id)!, 9);
    }
  });
});
