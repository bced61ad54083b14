// electron-builder `beforePack` hook (electron-builder.yml): refuses to pack an installer whose DuckDB
// native binding is not installed. npm installs only the binding of the machine it runs on, so building
// the macOS x64 dmg on an Apple Silicon Mac (or the reverse) would otherwise ship an app whose data
// engine cannot load, and nobody would know until a user opened it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// builder-util's Arch enum, by value.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** The message for a missing binding, or null when the installer for platform/arch can be packed. */
export function missingBinding(projectDir, platform, arch) {
  const binding = `@duckdb/node-bindings-${platform}-${arch}`;
  if (existsSync(join(projectDir, 'node_modules', binding, 'duckdb.node'))) return null;
  const loader = join(projectDir, 'node_modules', '@duckdb', 'node-bindings', 'package.json');
  const published = existsSync(loader) ? JSON.parse(readFileSync(loader, 'utf8')).optionalDependencies : {};
  const version = published?.[binding];
  if (!version) {
    return `DuckDB publishes no native binding for ${platform} ${arch} (${binding}): remove that target.`;
  }
  return (
    `The ${platform} ${arch} installer needs DuckDB's native binding ${binding}, which npm installs only ` +
    `on a ${platform} ${arch} machine. Add it for packaging with:\n` +
    `  npm install --no-save --force ${binding}@${version}`
  );
}

export async function beforePack(context) {
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  const problem = missingBinding(context.packager.projectDir, context.electronPlatformName, arch);
  if (problem) throw new Error(problem);
}
