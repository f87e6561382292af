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
}

export function ChartTable(props: ChartTableProps) {
  const styles = useStyles();
  const captionId = useId();
  const fmt = props.format ?? ((v: number) => String(v));
  const totals = props.rows.map((r) => r.values.reduce<number>((sum, v) => sum + (v ?? 0), 0));
  const max = props.max ?? Math.max(1, ...totals);
  return (
    <figure className={styles.figure} aria-labelledby={captionId}>
      <figcaption id={captionId} className={styles.caption}>
        {props.title}
      </figcaption>
      <div role="img" aria-label={props.altText} className={styles.chart}>
        {props.rows.map((row, i) => (
          <ChartRow key={`${row.label}-${i}`} row={row} max={max} styles={styles} />
        ))}
      </div>
      {props.series.length > 1 && (
        <div className={styles.legend} aria-hidden="true">
          {props.series.map((name, i) => (
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
                return <TableCell key={name}>{v === null ? props.suppressedLabel : fmt(v)}</TableCell>;
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
}: {
  row: ChartRowView;
  max: number;
  styles: ReturnType<typeof useStyles>;
}) {
  const suppressed = row.values.every((v) => v === null);
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
