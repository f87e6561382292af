// The districts an audience is made of, as checkboxes under one legend: the run start form and the
// schedule form choose them the same way.
import { Checkbox, makeStyles, tokens } from '@fluentui/react-components';
import { useTab } from '../context';
import { DISTRICT_IDS } from '../vocabulary';
import type { District } from '../../src/tab/view-types';

const useStyles = makeStyles({
  fieldset: {
    border: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS, padding: 0 },
});

export function DistrictPicker(props: {
  legend: string;
  hint: string;
  /** The hint's element id (unique on the page). */
  hintId: string;
  chosen: District[];
  onChange: (update: (current: District[]) => District[]) => void;
}) {
  const styles = useStyles();
  const { texts } = useTab();
  return (
    <fieldset className={styles.fieldset} aria-describedby={props.hintId}>
      <legend className={styles.legend}>{props.legend}</legend>
      {DISTRICT_IDS.map((d) => (
        <Checkbox
          key={d}
          label={texts.bot.districts[d]}
          checked={props.chosen.includes(d)}
          onChange={(_, data) =>
            props.onChange((current) => (data.checked ? [...current, d] : current.filter((x) => x !== d)))
          }
        />
      ))}
      <p id={props.hintId}>{props.hint}</p>
    </fieldset>
  );
}
