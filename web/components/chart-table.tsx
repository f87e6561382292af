// A chart and its data table, always together: the chart is one image with alt text for screen
// readers, the table below holds every value (suppressed cells say so). Bars are drawn with Fluent
// tokens, so they follow the light, dark and high-contrast themes.
import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useId } from 'react';
import type { ChartRowView } from '../../src/tab/view-types';

const PALETTE = [
  tokens.colorPaletteBlueBorderActive,
  tokens.colorPaletteTealBorderActive,
  tokens.colorPaletteMarigoldBorderActive,
  tokens.colorPaletteBerryBorderActive,
  tokens.colorPaletteLightGreenBorderActive,
  tokens.colorPaletteDarkOrangeBorderActive,
  tokens.colorPaletteLavenderBorderActive,
  tokens.colorPaletteSteelBorderActive,
  tokens.colorPaletteCranberryBorderActive,
  tokens.colorPaletteForestBorderActive,
  tokens.colorPalettePlatinumBorderActive,
  tokens.colorPaletteGrapeBorderActive,
];

const useStyles = makeStyles({
  figure: { margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  caption: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  chart: { display: 'grid', gridTemplateColumns: 'minmax(8rem, 14rem) 1fr', gap: tokens.spacingVerticalXS },
  label: {
    fontSize: tokens.fontSizeBase200,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  track: {
    display: 'flex',
    height: '1.25rem',
    backgroundColor: tokens.colorNeutralBackground3,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
  group: { display: 'flex', flexDirection: 'column', gap: '2px' },
  thinTrack: {
    display: 'flex',
    height: '0.6rem',
    backgroundColor: tokens.colorNeutralBackground3,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
  segment: {
    height: '100%',
    borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralBackground1}`,
  },
  suppressed: {
    height: '100%',
    width: '100%',
    backgroundImage: `repeating-linear-gradient(45deg, ${tokens.colorNeutralStroke2} 0 4px, transparent 4px 8px)`,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    fontSize: tokens.fontSizeBase200,
  },
  swatch: {
    display: 'inline-block',
    width: '0.75rem',
    height: '0.75rem',
    marginRight: tokens.spacingHorizontalXS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
});

export interface ChartTableProps {
  /** Caption of the figure and the table. */
  title: string;
  /** What the chart shows, for screen readers (the numbers are in the table). */
  altText: string;
  /** Names of the series: one for a plain bar chart, several for stacked bars. */
  series: string[];
  rows: ChartRowView[];
  /** Header of the label column. */
  categoryLabel: string;
  /** Shown instead of a suppressed value. */
  suppressedLabel: string;
  /** Full scale of a row; default: the largest row total. */
  max?: number;
  format?: (value: number) => string;
  /** Only the first n series are drawn (the others, e.g. a change, are in the table only). */
  chartSeries?: number;
  /** What a null says per series in the table (default: `suppressedLabel`), e.g. "–" for no change. */
  nullLabels?: (string | undefined)[];
  /** A formatter per series in the table (default: `format`). */
  formatSeries?: ((value: number) => string)[];
  /** Several series: stacked into one bar (parts of a whole, default) or side by side (grouped). */
  mode?: 'stacked' | 'grouped';
}

export function ChartTable(props: ChartTableProps) {
  const styles = useStyles();
  const captionId = useId();
  const fmt = props.format ?? ((v: number) => String(v));
  const grouped = props.mode === 'grouped';
  const drawn = (r: ChartRowView) => (props.chartSeries ? r.values.slice(0, props.chartSeries) : r.values);
  const totals = props.rows
    .map((row) => drawn(row))
    .map((values) =>
      grouped
        ? Math.max(0, ...values.map((v) => v ?? 0))
        : values.reduce<number>((sum, v) => sum + (v ?? 0), 0),
    );
  const max = props.max ?? Math.max(1, ...totals);
  return (
    <figure className={styles.figure} aria-labelledby={captionId}>
      <figcaption id={captionId} className={styles.caption}>
        {props.title}
      </figcaption>
      <div role="img" aria-label={props.altText} className={styles.chart}>
        {props.rows.map((row, i) => (
          <ChartRow
            key={`${row.label}-${i}`}
            row={props.chartSeries ? { ...row, values: row.values.slice(0, props.chartSeries) } : row}
            max={max}
            styles={styles}
            grouped={grouped}
          />
        ))}
      </div>
      {(props.chartSeries ?? props.series.length) > 1 && (
        <div className={styles.legend} aria-hidden="true">
          {props.series.slice(0, props.chartSeries ?? props.series.length).map((name, i) => (
            <span key={name}>
              <span className={styles.swatch} style={{ backgroundColor: PALETTE[i % PALETTE.length] }} />
              {name}
            </span>
          ))}
        </div>
      )}
      <Table size="small" aria-labelledby={captionId}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{props.categoryLabel}</TableHeaderCell>
            {props.series.map((name) => (
              <TableHeaderCell key={name} scope="col">
                {name}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.rows.map((row, i) => (
            <TableRow key={`${row.label}-${i}`}>
              <TableCell>{row.label}</TableCell>
              {props.series.map((name, j) => {
                const v = row.values[j];
                const f = props.formatSeries?.[j] ?? fmt;
                return (
                  <TableCell key={name}>
                    {v === null || v === undefined
                      ? v === null
                        ? (props.nullLabels?.[j] ?? props.suppressedLabel)
                        : ''
                      : f(v)}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </figure>
  );
}

function ChartRow({
  row,
  max,
  styles,
  grouped,
}: {
  row: ChartRowView;
  max: number;
  styles: ReturnType<typeof useStyles>;
  grouped: boolean;
}) {
  const suppressed = row.values.every((v) => v === null);
  if (grouped) {
    return (
      <>
        <span className={styles.label}>{row.label}</span>
        <span className={styles.group}>
          {row.values.map((v, j) => (
            <span key={j} className={styles.thinTrack}>
              {v === null ? (
                <span className={styles.suppressed} />
              ) : (
                <span
                  className={styles.segment}
                  style={{ width: `${(v / max) * 100}%`, backgroundColor: PALETTE[j % PALETTE.length] }}
                />
              )}
            </span>
          ))}
        </span>
      </>
    );
  }
  return (
    <>
      <span className={styles.label}>{row.label}</span>
      <span className={styles.track}>
        {suppressed ? (
          <span className={styles.suppressed} />
        ) : (
          row.values.map((v, j) => (
            <span
              key={j}
              className={styles.segment}
              style={{ width: `${((v ?? 0) / max) * 100}%`, backgroundColor: PALETTE[j % PALETTE.length] }}
            />
          ))
        )}
      </span>
    </>
  );
}
