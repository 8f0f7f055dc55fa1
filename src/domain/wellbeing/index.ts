// The wellbeing screen. Interface fixed here; implementation in progress.
export type WellbeingLevel = 'none' | 'concern' | 'crisis';

export interface WellbeingSignal {
  /** A stable code such as `suicidal_ideation`, `self_harm`, `job_loss`, `illness`, `bereavement`, `panic`, `food_insecurity`. */
  code: string;
  level: 'concern' | 'crisis';
  span: string;
  start: number;
  end: number;
}

export interface WellbeingResult {
  level: WellbeingLevel;
  signals: WellbeingSignal[];
}

export function assessWellbeing(_text: string, _options: { lang?: 'zh' | 'en' } = {}): WellbeingResult {
  return { level: 'none', signals: [] };
}
