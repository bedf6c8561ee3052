/** Live trading needs both the --live flag and SENTIFLOW_LIVE=I_UNDERSTAND; anything else is paper. */
import type { TradingMode } from './types.js';

export const LIVE_CONFIRMATION = 'I_UNDERSTAND';

export interface TradingModeDecision {
  readonly mode: TradingMode;
  /** Why --live was not honoured, for a warning line; null when nothing to say. */
  readonly warning: string | null;
}

export function resolveTradingMode(live: boolean, confirmation: string | undefined): TradingModeDecision {
  if (!live) return { mode: 'paper', warning: null };
  if (confirmation === LIVE_CONFIRMATION) return { mode: 'live', warning: null };
  return {
    mode: 'paper',
    warning: `--live ignored: set SENTIFLOW_LIVE=${LIVE_CONFIRMATION} to trade real money; trading on paper`,
  };
}
