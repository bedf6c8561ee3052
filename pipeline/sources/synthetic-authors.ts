/**
 * The synthetic author populations: regular accounts with heavy-tailed follower counts and ages
 * (some brand new, some follower-less) and a pool of bot accounts. Draws from the generator's PRNG in
 * a fixed order (part of the seed's output).
 */
import type { RawUser } from '../../operators/types.js';

const DAY = 86_400_000;

export interface Author {
  readonly user: RawUser;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function makeAuthors(
  rand: () => number,
  n: number,
  startTime: number,
  prefix: string,
  bots: boolean,
): readonly Author[] {
  const out: Author[] = [];
  for (let i = 0; i < n; i++) {
    // Pareto(x_m = 15, alpha = 1.1) followers: most accounts small, a few huge.
    const pareto = Math.floor(15 / (1 - rand()) ** (1 / 1.1)) - 15;
    let followers = Math.min(pareto, 80_000_000);
    let ageMs = Math.floor((0.2 + rand() * rand() * 15) * 365 * DAY);
    const roll = rand();
    if (bots) {
      followers = Math.floor(rand() * 400) + 1;
      ageMs = Math.floor((0.1 + rand() * 2) * 365 * DAY);
    } else if (roll < 0.03) {
      ageMs = Math.floor(rand() * 6 * DAY);
    } else if (roll < 0.05) {
      followers = 0;
    }
    const id = `${prefix}${String(i).padStart(9, '0')}`;
    out.push({
      user: {
        id,
        username: `${bots ? 'alpha_calls' : 'user'}${i}`,
        name: `${bots ? 'Alpha Calls' : 'User'} ${i}`,
        created_at: iso(startTime - ageMs),
        public_metrics: {
          followers_count: followers,
          following_count: Math.floor(rand() * 2000),
          tweet_count: 1,
        },
      },
    });
  }
  return out;
}
