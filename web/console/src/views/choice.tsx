import { capitalize } from '../format';

interface Props<T extends string> {
  label: string;
  values: readonly T[];
  value: T | undefined;
  onChange(value: T | undefined): void;
  testId: string;
  /** The first option, meaning "any" (filters); without it a value is always chosen. */
  any?: string;
}

/** A select over one of the API's enums (status, priority, department), labelled with capitalised values. */
export function Choice<T extends string>({ label, values, value, onChange, testId, any }: Props<T>) {
  return (
    <select aria-label={label} value={value ?? ''} onChange={(e) => onChange((e.currentTarget.value || undefined) as T | undefined)} data-testid={testId}>
      {any !== undefined && <option value="">{any}</option>}
      {values.map((v) => (
        <option key={v} value={v}>
          {capitalize(v)}
        </option>
      ))}
    </select>
  );
}
