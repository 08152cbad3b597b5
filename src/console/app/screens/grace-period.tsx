// How long a replaced secret or key keeps signing beside the new one: the choice both rotations offer.
const GRACE_CHOICES: [number, string][] = [
  [86_400, '24 hours'],
  [3_600, '1 hour'],
  [604_800, '7 days'],
  [0, 'none: retire it now'],
];

export const DEFAULT_GRACE_SECONDS = 86_400;

/** A labelled select of grace periods, and the rotate button beside it. */
export function GracePeriodRotation(props: {
  label: string;
  value: number;
  onChange: (seconds: number) => void;
  button: string;
  onRotate: () => void;
  describedBy?: string;
}) {
  return (
    <div class="row end">
      <label>
        {props.label}
        <select
          value={props.value}
          onChange={(e) => props.onChange(Number(e.currentTarget.value))}
          {...(props.describedBy ? { 'aria-describedby': props.describedBy } : {})}
        >
          {GRACE_CHOICES.map(([seconds, label]) => (
            <option key={seconds} value={seconds}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" class="button" onClick={props.onRotate}>
        {props.button}
      </button>
    </div>
  );
}
