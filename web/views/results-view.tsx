// Results of closed runs: pick a run, then per question its distribution and mean/NPS, the field-of-
// action index, the trend and the district heatmap — every figure as the disclosure module gives it.
import {
  Field,
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
import type { Disclosed, RunListView, RunResultsView } from '../../src/tab/view-types';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, maxWidth: '60rem' },
  heat: { overflowX: 'auto' },
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
  const { texts, session } = useTab();
  const { t } = texts;
  const suppressed = t.results.suppressed;
  const fmt1 = (v: number) =>
    v.toLocaleString(texts.locale === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: 1 });
  return (
    <div className={styles.stack}>
      <h3>{`${pick(results.surveyTitle, texts.locale)} – ${format(t.results.respondents, { n: results.respondents })}`}</h3>
      <p>{format(t.results.suppressedHint, { k: session.kMin })}</p>
      <ChartTable
        title={t.results.fieldIndex}
        altText={altText(t.results.fieldIndex, results.fieldIndex.length, texts)}
        series={[t.results.value]}
        categoryLabel={t.results.category}
        suppressedLabel={suppressed}
        max={100}
        format={fmt1}
        rows={results.fieldIndex.map((f) => ({ label: texts.ideas.fields[f.field], values: [f.index] }))}
      />
      {results.trend.length > 1 && (
        <ChartTable
          title={t.results.trend}
          altText={altText(t.results.trend, results.trend.length, texts)}
          series={[t.results.value]}
          categoryLabel={t.results.category}
          suppressedLabel={suppressed}
          max={100}
          format={fmt1}
          rows={results.trend.map((r) => ({ label: texts.date(r.closesAt), values: [r.index] }))}
        />
      )}
      {results.questions.map((q) => {
        const text = pick(q.text, texts.locale);
        const score =
          q.score === null ? '' : ` – ${q.type === 'nps' ? t.results.nps : t.results.mean} ${fmt1(q.score)}`;
        return (
          <ChartTable
            key={q.questionId}
            title={`${text}${score}`}
            altText={altText(text, q.distribution.rows.length, texts)}
            series={q.distribution.series}
            categoryLabel={t.results.category}
            suppressedLabel={suppressed}
            rows={q.distribution.rows}
          />
        );
      })}
      <Heatmap results={results} texts={texts} />
    </div>
  );
}

function altText(title: string, rows: number, texts: Texts): string {
  return texts.locale === 'en'
    ? `Bar chart "${title}" with ${rows} bars; the values are in the table below.`
    : `Balkendiagramm „${title}“ mit ${rows} Balken; die Werte stehen in der Tabelle darunter.`;
}

/** District × question: a table whose cells are shaded by value; suppressed cells say so. */
function Heatmap({ results, texts }: { results: RunResultsView; texts: Texts }) {
  const styles = useStyles();
  const { t } = texts;
  const { heatmap } = results;
  if (heatmap.districts.length === 0) return null;
  return (
    <section aria-labelledby="heatmap-heading" className={styles.heat}>
      <h3 id="heatmap-heading">{t.results.heatmap}</h3>
      <Table size="small" aria-labelledby="heatmap-heading">
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t.results.category}</TableHeaderCell>
            {heatmap.questions.map((q) => (
              <TableHeaderCell key={q} scope="col">
                {q}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {heatmap.districts.map((d, i) => (
            <TableRow key={d}>
              <TableCell>{texts.bot.districts[d]}</TableCell>
              {heatmap.cells[i]!.map((v, j) => (
                <TableCell
                  key={j}
                  style={
                    v === null
                      ? { fontStyle: 'italic' }
                      : {
                          backgroundColor: `color-mix(in srgb, ${tokens.colorBrandBackground} ${Math.round(v * 0.6)}%, transparent)`,
                        }
                  }
                >
                  {v === null ? t.results.suppressed : v.toFixed(0)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
