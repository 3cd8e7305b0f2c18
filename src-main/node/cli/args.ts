/**
 * Flag parsing with Keras-style kebab-case names. Each command declares its flags, so a typo is a
 * clear error instead of a silently ignored option.
 */
import { UsageError } from './context';

export interface FlagSpec {
  strings: readonly string[];
  booleans: readonly string[];
}

export interface ParsedFlags {
  string(name: string, required?: boolean): string | undefined;
  boolean(name: string): boolean;
  list(name: string): string[];
}

export function parseArgs(command: string, argv: string[], spec: FlagSpec): { positionals: string[]; flags: ParsedFlags } {
  const strings = new Map<string, string>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (spec.booleans.includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      booleans.add(name);
    } else if (spec.strings.includes(name)) {
      const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      strings.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name} for '${command}' (see: sentiment-studio help ${command})`);
    }
  }
  return {
    positionals,
    flags: {
      string(name, required = false) {
        const v = strings.get(name);
        if (v === undefined && required) throw new UsageError(`'${command}' needs --${name}`);
        return v;
      },
      boolean: (name) => booleans.has(name),
      list: (name) => (strings.get(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    },
  };
}
