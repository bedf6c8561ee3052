/**
 * `npm ci` refuses a lock that lacks any optional package a locked package declares, on every platform,
 * and npm 11 writes locks without the other platforms' ones (npm/cli#8320). .ci/run runs `npm ci` with
 * no fallback; these checks say which package is missing before a user on another platform finds out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  readonly version?: string;
  readonly os?: readonly string[];
  readonly cpu?: readonly string[];
  readonly libc?: readonly string[];
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  readonly packages: Readonly<Record<string, LockedPackage>>;
};
const locked = lock.packages;

/** The lock path node would load `name` from when `from` requires it (its own node_modules first, then up). */
function resolve(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (locked[candidate]) return candidate;
    if (dir === '') return undefined;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent < 0 ? '' : dir.slice(0, parent);
  }
}

const declaring = Object.entries(locked).filter(([, pkg]) => pkg.optionalDependencies);

/** The platforms the README promises `npm ci` on. */
const PLATFORMS = [
  { os: 'linux', cpu: 'x64', libc: 'glibc' },
  { os: 'linux', cpu: 'arm64', libc: 'glibc' },
  { os: 'darwin', cpu: 'x64', libc: undefined },
  { os: 'darwin', cpu: 'arm64', libc: undefined },
] as const;
type Platform = (typeof PLATFORMS)[number];

const fits = (pkg: LockedPackage, p: Platform): boolean =>
  (!pkg.os || pkg.os.includes(p.os)) &&
  (!pkg.cpu || pkg.cpu.includes(p.cpu)) &&
  (!pkg.libc || p.libc === undefined || pkg.libc.includes(p.libc));

describe('package-lock.json', () => {
  it('locks every optional package that a locked package declares, whatever its platform', () => {
    const missing = declaring.flatMap(([path, pkg]) =>
      Object.entries(pkg.optionalDependencies ?? {})
        .filter(([name]) => resolve(path, name) === undefined)
        .map(([name, range]) => `${path || '(root)'} -> ${name}@${range}`),
    );
    expect(missing).toEqual([]);
  });

  it('has a native build of each platform-specific package for Linux and macOS, x64 and arm64', () => {
    // A family: a package whose optional dependencies are builds for several platforms (biome, esbuild...).
    const families = declaring
      .map(([path, pkg]) => ({
        path,
        builds: Object.keys(pkg.optionalDependencies ?? {})
          .map((name) => locked[resolve(path, name) ?? ''])
          .filter((build): build is LockedPackage => build?.os !== undefined || build?.cpu !== undefined),
      }))
      .filter((family) => family.builds.length > 1);
    expect(families.map((f) => f.path)).toContain('node_modules/@biomejs/biome');
    const uncovered = families.flatMap(({ path, builds }) =>
      PLATFORMS.filter((p) => !builds.some((build) => fits(build, p))).map(
        (p) => `${path} on ${p.os}-${p.cpu}`,
      ),
    );
    expect(uncovered).toEqual([]);
  });
});
