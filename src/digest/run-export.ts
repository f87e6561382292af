// CSV exports of a run's figures behind signed, expiring links.
import type { Locale } from '../domain/vocabulary';
import type { Run } from '../surveys/model';
import type { ResultsService } from '../results/results-service';
import { runDigestCsv } from './export-csv';
import type { ExportTokens } from './export-token';

export interface RunExportOptions {
  tokens: ExportTokens;
  results: ResultsService;
  getRun(runId: string): Promise<Run | undefined>;
  /** The language of the CSV's labels (DIGEST_LOCALE). */
  locale: Locale;
  /** Where people reach the bot (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
}

export class RunExport {
  constructor(private readonly o: RunExportOptions) {}

  /** A link to the CSV of a run, valid for a quarter of an hour. */
  link(runId: string): string {
    return `${this.o.publicBaseUrl}/api/export/${this.o.tokens.issue(runId)}`;
  }

  /** The CSV for a valid token; undefined for an invalid or expired token or an unknown run. */
  async csv(token: string): Promise<{ fileName: string; csv: string } | undefined> {
    const runId = this.o.tokens.verify(token);
    const run = runId ? await this.o.getRun(runId) : undefined;
    if (!run) return undefined;
    // Exactly what every other surface shows: the disclosure module decides.
    const figures = await this.o.results.figures(run);
    return { fileName: `puls-${run.runId}.csv`, csv: runDigestCsv(figures, this.o.locale) };
  }
}
