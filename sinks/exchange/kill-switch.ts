/** The kill switch: engaged by a flag from config or by the existence of a file, checked before every order. */
import { existsSync } from 'node:fs';

export interface KillSwitch {
  engaged(): boolean;
}

export interface KillSwitchOptions {
  /** Engaged from the start (e.g. TRADING_KILL_SWITCH=1 through config). */
  readonly engaged?: boolean;
  /** Touching this file stops new orders at once; removing it resumes. */
  readonly file?: string | null;
}

export function createKillSwitch({ engaged = false, file = null }: KillSwitchOptions = {}): KillSwitch {
  return {
    engaged: () => engaged || (file !== null && file !== '' && existsSync(file)),
  };
}
