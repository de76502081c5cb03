/** One figure a scenario measures, for the gateway and (where there is one) for its floor. */
export interface FigureSpec {
  key: string;
  label: string;
  unit: string;
  /** Which way is better: sets how the ratio to the floor reads. */
  better: "higher" | "lower";
  /** Decimal places in the report. @default 1 */
  digits?: number;
}

/** One round's value of a figure: the gateway's, and its floor's from the same round (or null). */
export interface Measured {
  gateway: number;
  floor: number | null;
}

/**
 * A benchmark scenario: one file in `bench/scenarios/` exporting `scenarios: Scenario[]`. The
 * runner calls `prepare` once, `round` three times (each round measures the gateway and its floor
 * back to back, so their ratio is meaningful on a shared machine), then `finish`.
 */
export interface Scenario<Context = unknown> {
  /** File name of its results: `bench/results/<id>.json`. */
  id: string;
  title: string;
  /** What the floor is, in a sentence. */
  floor: string;
  figures: FigureSpec[];
  /** Settings that differ from production defaults, and why. */
  notes?: string[];
  prepare?(): Promise<Context>;
  round(context: Context): Promise<Record<string, Measured>>;
  finish?(context: Context): Promise<void>;
}

/** For a scenario file: keeps the context type of each scenario while listing them together. */
export const defineScenario = <Context>(scenario: Scenario<Context>): Scenario =>
  scenario as unknown as Scenario;
