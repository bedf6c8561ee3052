/**
 * The synthetic generator's PRNG, also the seeded generator of research's bootstrap. Its sequence for
 * a seed is part of the generator's output: do not change it.
 */

/**
 * sfc32 seeded through splitmix32: small, fast, good enough for synthetic data, fully deterministic.
 * The state is kept as int32 (`| 0`), which V8 holds unboxed; the same bits as uint32 arithmetic.
 */
export function createRandom(seed: number): () => number {
  let s = seed | 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
