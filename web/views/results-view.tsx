// Results of closed runs: pick a run, then per question its distribution and mean/NPS, the field-of-
// action index, the trend and the district heatmap — every figure as the disclosure module gives it.
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ChartTable } from '../components/chart-table';
import { Load, UnavailableBar } from '../components/status';
import { useLoad, useTab } from '../context';
import { format, pick, type Texts } from '../i18n';
import type {
  Disclosed,
  HeatmapColumnView,
  QuestionResultView,
  RunListView,
  RunResultsView,
} from '../../src/tab/view-types';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, maxWidth: '60rem' },
  heat: { overflowX: 'auto' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  hiddenCell: {
    fontStyle: 'italic',
    backgroundImage: `repeating-linear-gradient(45deg, ${tokens.colorNeutralStroke2} 0 2px, transparent 2px 8px)`,
  },
});

export function ResultsView() {
  const styles = useStyles();
  const { texts } = useTab();
  const { t } = texts;
  const [runs, reload] = useLoad<RunListView>('runs');
  const [runId, setRunId] = useState('');
  return (
    <>
      <h2 id="view-heading">{t.results.heading}</h2>
      <Load loaded={runs} retry={reload}>
        {(data) => {
          const closed = data.runs.filter((r) => !r.open);
          if (closed.length === 0) return <p>{t.results.noneClosed}</p>;
          const selected = runId || closed[0]!.runId;
          return (
            <div className={styles.stack}>
              <Field label={t.results.pick}>
                <Select value={selected} onChange={(_, d) => setRunId(d.value)}>
                  {closed.map((r) => (
                    <option key={r.runId} value={r.runId}>
                      {`${pick(r.surveyTitle, texts.locale)} (${texts.date(r.closedAt ?? r.closesAt)})`}
                    </option>
                  ))}
                </Select>
              </Field>
              <RunResults runId={selected} />
            </div>
          );
        }}
      </Load>
    </>
  );
}

function RunResults({ runId }: { runId: string }) {
  const [results, reload] = useLoad<Disclosed<RunResultsView>>(`runs/${encodeURIComponent(runId)}/results`);
  return (
    <Load loaded={results} retry={reload}>
      {(d) => (d.available ? <ResultsBody results={d.value} /> : <UnavailableBar reason={d.reason} />)}
    </Load>
  );
}

export function ResultsBody({ results }: { results: RunResultsView }) {
  const styles = useStyles();
  const { texts, session, api } = useTab();
  const { t } = texts;
  const [downloadError, setDownloadError] = useState<string>();
  const suppressed = t.results.suppressed;
  const nf = (digits: number) => (v: number) =>
    v.toLocaleString(texts.locale === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: digits });
  const fmt1 = nf(1);
  const signed = (v: number, digits: number) =>
    `${v > 0 ? '+' : v < 0 ? '−' : '±'}${nf(digits)(Math.abs(v))}`;
  const p = results.participation;
  const download = async (format: 'csv' | 'xlsx') => {
    setDownloadError(undefined);
    try {
      await api.download(
        `runs/${encodeURIComponent(results.runId)}/export?format=${format}&lang=${texts.locale}`,
      );
    } catch {
      setDownloadError(t.errors.internal);
    }
  };
  const trendRuns = results.trend.runs;
  return (
    <div className={styles.stack}>
      <h3>{`${pick(results.surveyTitle, texts.locale)} – ${format(t.results.respondents, { n: p.respondents })}`}</h3>
      <p>
        {format(t.results.participation, {
          respondents: p.respondents,
          delivered: p.delivered,
          rate: p.rate === null ? '–' : Math.round(p.rate * 100),
        })}
      </p>
      <p>{format(t.results.suppressedHint, { k: results.kMin })}</p>
      <div className={styles.actions} role="group" aria-label={t.results.downloads}>
        <Button icon={<span aria-hidden="true">⤓</span>} onClick={() => void download('csv')}>
          {t.results.downloadCsv}
        </Button>
        <Button icon={<span aria-hidden="true">⤓</span>} onClick={() => void download('xlsx')}>
          {t.results.downloadXlsx}
        </Button>
      </div>
      {downloadError && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{downloadError}</MessageBarBody>
        </MessageBar>
      )}
      <ChartTable
        title={t.results.fieldIndex}
        altText={altText(t.results.fieldIndex, results.fieldIndex.length, texts)}
        series={[t.results.value, t.results.change]}
        chartSeries={1}
        categoryLabel={t.results.category}
        suppressedLabel={suppressed}
        max={100}
        format={fmt1}
        formatSeries={[fmt1, (v) => signed(v, 1)]}
        nullLabels={[undefined, '–']}
        rows={results.fieldIndex.map((f) => ({
          label: texts.ideas.fields[f.field],
          values: [f.index, f.change],
        }))}
      />
      {trendRuns.length > 1 && (
        <ChartTable
          title={t.results.trend}
          altText={altText(t.results.trend, trendRuns.length, texts)}
          series={results.trend.fields.map((f) => texts.ideas.fields[f.field])}
          categoryLabel={t.results.run}
          suppressedLabel={t.results.notShown}
          mode="grouped"
          max={100}
          format={fmt1}
          rows={trendRuns.map((r, i) => ({
            label: scheduleMark(trendRuns, r, texts),
            values: results.trend.fields.map((f) => f.values[i] ?? null),
          }))}
        />
      )}
      {results.questions.map((q) => (
        <QuestionResult key={q.questionId} q={q} kMin={results.kMin} kText={results.kText} />
      ))}
      <Heatmap results={results} texts={texts} kMin={session.kMin} />
    </div>
  );
}

function QuestionResult({ q, kMin, kText }: { q: QuestionResultView; kMin: number; kText: number }) {
  const { texts } = useTab();
  const { t } = texts;
  const text = pick(q.text, texts.locale);
  const nf = (v: number, digits = 1) =>
    v.toLocaleString(texts.locale === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: digits });
  if (q.hidden) {
    return (
      <section aria-label={text}>
        <h4>{text}</h4>
        <p>
          {format(q.hidden === 'too_few_texts' ? t.results.textsHidden : t.results.questionHidden, {
            k: kMin,
            kText,
          })}
        </p>
      </section>
    );
  }
  if (q.type === 'text') {
    return (
      <section aria-label={text}>
        <h4>{text}</h4>
        <p>{t.results.texts}</p>
        <ul>
          {q.texts.map((x, i) => (
            <li key={i}>{x}</li>
          ))}
        </ul>
      </section>
    );
  }
  const figures = [
    q.answered === null ? undefined : `${t.results.answered} ${nf(q.answered, 0)}`,
    q.mean === null ? undefined : `${t.results.mean} ${nf(q.mean)}`,
    q.nps === null ? undefined : `${t.results.nps} ${q.nps > 0 ? '+' : ''}${nf(q.nps, 0)}`,
    q.change === null
      ? undefined
      : `${t.results.change} ${q.change > 0 ? '+' : q.change < 0 ? '−' : '±'}${nf(Math.abs(q.change), q.type === 'nps' ? 0 : 1)}`,
  ].filter(Boolean);
  return (
    <ChartTable
      title={`${text}${figures.length > 0 ? ` – ${figures.join(' · ')}` : ''}`}
      altText={altText(text, q.distribution.length, texts)}
      series={[t.results.answered]}
      categoryLabel={t.results.category}
      suppressedLabel={t.results.suppressed}
      rows={q.distribution.map((d) => ({ label: pick(d.label, texts.locale), values: [d.count] }))}
    />
  );
}

function altText(title: string, rows: number, texts: Texts): string {
  return texts.locale === 'en'
    ? `Bar chart "${title}" with ${rows} bars; the values are in the table below.`
    : `Balkendiagramm „${title}“ mit ${rows} Balken; die Werte stehen in der Tabelle darunter.`;
}

/** District × column: a table whose cells are shaded by value; suppressed cells say so. */
function Heatmap({ results, texts, kMin }: { results: RunResultsView; texts: Texts; kMin: number }) {
  const styles = useStyles();
  const { t } = texts;
  const { heatmap } = results;
  if (heatmap.withheld) {
    return (
      <section aria-labelledby="heatmap-heading">
        <h3 id="heatmap-heading">{t.results.heatmap}</h3>
        <p>{format(t.unavailable.too_few, { k: kMin })}</p>
      </section>
    );
  }
  if (heatmap.rows.length === 0) return null;
  const nf = (v: number, digits: number) =>
    v.toLocaleString(texts.locale === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: digits });
  // Shade by position on each column's scale: index 0–100, mean 1–5, NPS −100…+100.
  const share = (kind: HeatmapColumnView['kind'], v: number) =>
    kind === 'index' ? v / 100 : kind === 'mean' ? (v - 1) / 4 : (v + 100) / 200;
  const show = (kind: HeatmapColumnView['kind'], v: number) =>
    kind === 'nps' ? `${v > 0 ? '+' : ''}${nf(v, 0)}` : nf(v, kind === 'mean' ? 1 : 0);
  return (
    <section aria-labelledby="heatmap-heading" className={styles.heat}>
      <h3 id="heatmap-heading">{t.results.heatmap}</h3>
      <p id="heatmap-hint">{format(t.results.heatmapHint, { k: kMin })}</p>
      <Table size="small" aria-labelledby="heatmap-heading" aria-describedby="heatmap-hint">
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t.results.district}</TableHeaderCell>
            <TableHeaderCell scope="col">{t.results.answered}</TableHeaderCell>
            {heatmap.columns.map((c) => {
              const label = pick(c.label, texts.locale);
              const kind = c.kind === 'index' ? 'Index' : c.kind === 'mean' ? t.results.mean : t.results.nps;
              // Long question texts are cut in the header; the full text is its tooltip and in the
              // questions above.
              const short = label.length > 48 ? `${label.slice(0, 45).trimEnd()} …` : label;
              return (
                <TableHeaderCell key={c.id} scope="col" title={label}>
                  {`${short} (${kind})`}
                </TableHeaderCell>
              );
            })}
          </TableRow>
        </TableHeader>
        <TableBody>
          {heatmap.rows.map((row) => (
            <TableRow key={row.district}>
              <TableCell>{texts.bot.districts[row.district]}</TableCell>
              <TableCell className={row.respondents === null ? styles.hiddenCell : undefined}>
                {row.respondents === null ? t.results.suppressed : nf(row.respondents, 0)}
              </TableCell>
              {row.cells.map((v, j) => {
                const kind = heatmap.columns[j]!.kind;
                return (
                  <TableCell
                    key={heatmap.columns[j]!.id}
                    className={v === null ? styles.hiddenCell : undefined}
                    style={
                      v === null
                        ? undefined
                        : {
                            backgroundColor: `color-mix(in srgb, ${tokens.colorBrandBackground} ${Math.round(Math.max(0, Math.min(1, share(kind, v))) * 55)}%, transparent)`,
                          }
                    }
                  >
                    {v === null ? t.results.suppressed : show(kind, v)}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}

/**
 * A trend run's label: its closing date, and "Aus Zeitplan A" when a recurring schedule started it
 * (runs of the same schedule share the letter).
 */
function scheduleMark(
  runs: RunResultsView['trend']['runs'],
  run: RunResultsView['trend']['runs'][number],
  texts: Texts,
): string {
  const date = texts.date(run.closesAt);
  if (!run.scheduleId) return date;
  const ids = [...new Set(runs.map((r) => r.scheduleId).filter((id): id is string => id !== undefined))];
  const name = String.fromCharCode(65 + (ids.indexOf(run.scheduleId) % 26));
  return `${date} (${format(texts.t.schedules.fromSchedule, { name })})`;
}
