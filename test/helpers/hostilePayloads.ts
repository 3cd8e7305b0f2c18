/**
 * Payloads a compromised or buggy renderer could send over IPC, for the IPC fuzz test. Every
 * generator here builds payloads that are invalid by construction (a wrong JS type where the
 * contract has another, an unknown key, a non-object payload), so the test can demand a refusal
 * without asking the schema under test what it thinks. Only structured-clone-able values: that
 * is all Electron's IPC can carry.
 */
export { seededRandom } from '../../src-main/node/train/random';

export type Kind = 'undefined' | 'null' | 'boolean' | 'number' | 'bigint' | 'string' | 'array' | 'object' | 'special';

/** 'special': Date, Map, Set, typed arrays, RegExp, Error: objects no contract field is. */
export function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    return proto === Object.prototype || proto === null ? 'object' : 'special';
  }
  return type as Kind;
}

function deepObject(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { nested: value };
  return value;
}

function deepArray(depth: number): unknown[] {
  let value: unknown[] = [1];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Own `__proto__` / `constructor` keys, as JSON.parse (and structured clone) create them. */
export const prototypeKeyObjects = (): Record<string, unknown>[] => [
  JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, unknown>,
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}') as Record<string, unknown>,
  JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"name": "x"}, "prototype": {}}') as Record<string, unknown>,
];

export const hostileStrings: readonly string[] = [
  '',
  ' ',
  'x'.repeat(1_000_000),
  '\u202Egnp.exe\u202C', // RTL override: shows as "exe.png"
  'Zalgo: ẑ̵̢̛̲̈a̶̡̛͙l̷̢̈́g̸̨̛o̵̢̊',
  '😀👍🏽 emoji and CJK 中文 and \u0000 NUL',
  '\uD800 lone surrogate',
  '../../../../etc/passwd',
  '..\\..\\..\\Windows\\win.ini',
  'file:///etc/passwd',
  'C:\\Windows\\System32\\config',
  'a\u0000b.sstudio',
  '%00%2e%2e%2f',
  '<script>window.__pwned=1</script>',
  "' OR 1=1; DROP TABLE items; --",
  '"unbalanced phrase',
  'NEAR(a b) AND NOT * ^ : ( )',
  'NaN',
  '__proto__',
];

/** One of each kind, several of the tricky ones. */
export function hostileValues(): unknown[] {
  return [
    undefined,
    null,
    true,
    false,
    0,
    -0,
    -1,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    1e308,
    Number.MIN_VALUE,
    10n,
    ...hostileStrings,
    [],
    [1, 'two', null],
    // A hole survives structured clone as undefined.
    [, 1],
    new Array(100_000).fill(7),
    deepArray(1000),
    {},
    deepObject(1000),
    { length: 1, 0: 'array-like' },
    Object.assign(Object.create(null) as object, { nullProto: 1 }),
    ...prototypeKeyObjects(),
    new Date(0),
    new Map([['path', '/etc/passwd']]),
    new Set([1]),
    new Uint8Array([1, 2, 3]),
    /regex/g,
    new Error('an error object'),
  ];
}

/**
 * Whether no field whose valid example is `example` accepts `value`. A number field refuses NaN
 * and the infinities whatever its range; an integer field (its valid example is an integer) also
 * refuses 1.5 and 2**53 (not a safe integer). `undefined` is never one (an absent optional field
 * is valid), nor is `null` where the field is nullable. Object fields get no 'special' objects:
 * zod's object accepts a Map or a Date as an object with no keys, harmless for all-optional
 * option objects (a whole payload that is not a plain object is refused before zod sees it).
 */
export function isWrongFor(example: unknown, value: unknown, options: { nullable?: boolean } = {}): boolean {
  const kind = kindOf(example);
  const other = kindOf(value);
  if (other === 'undefined') return false;
  if (other === 'null') return !options.nullable;
  if (other === 'special') return kind !== 'object';
  if (kind === 'number' && other === 'number') {
    const n = value as number;
    return !Number.isFinite(n) || (Number.isInteger(example) && !Number.isSafeInteger(n));
  }
  return other !== kind;
}

export function wrongValuesFor(example: unknown, options: { nullable?: boolean } = {}): unknown[] {
  const wrong = hostileValues().filter((value) => isWrongFor(example, value, options));
  if (Number.isInteger(example)) wrong.push(-2.25, -(2 ** 60));
  return wrong;
}

export interface Mutation {
  /** Where the wrong value went, e.g. `columns.textColumn` or `labels.0.color`. */
  field: string;
  payload: Record<string, unknown>;
}

/** A copy of `base` with the field at `path` set to `value`. */
export function setAt(base: Record<string, unknown>, path: readonly (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

export const fieldAt = (base: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], base);

/** Field paths of a valid example (objects and the first element of arrays, down to `depth`). */
export function fieldPaths(value: unknown, depth: number, prefix: (string | number)[] = []): (string | number)[][] {
  if (depth === 0) return [];
  const kind = kindOf(value);
  if (kind === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => [[...prefix, key], ...fieldPaths(child, depth - 1, [...prefix, key])]);
  }
  if (kind === 'array' && (value as unknown[]).length > 0) {
    return [[...prefix, 0], ...fieldPaths((value as unknown[])[0], depth - 1, [...prefix, 0])];
  }
  return [];
}

export interface FieldRules {
  /** Fields that also take null. */
  nullable?: readonly string[];
  /** Fields that take any value (a record of unknown) or several kinds (a union): left alone, with everything under them. */
  free?: readonly string[];
}

/** The valid example with one field (at any depth up to 3) swapped for a value of the wrong kind. */
export function typeMutations(base: Record<string, unknown>, rules: FieldRules = {}): Mutation[] {
  const free = rules.free ?? [];
  return fieldPaths(base, 3)
    .map((path) => ({ path, field: path.join('.') }))
    .filter(({ field }) => !free.some((f) => field === f || field.startsWith(`${f}.`)))
    .flatMap(({ path, field }) =>
      wrongValuesFor(fieldAt(base, path), { nullable: rules.nullable?.includes(field) }).map((value) => ({ field, payload: setAt(base, path, value) })),
    );
}

/** Keys no request has: each added to the valid example must be refused, not silently dropped. */
export function unknownKeyPayloads(base: Record<string, unknown>): Mutation[] {
  const extras: [string, unknown][] = [
    ['constructor', { prototype: { polluted: 'yes' } }],
    ['prototype', {}],
    ['toString', 'not a function'],
    ['hasOwnProperty', 1],
    ['isAdmin', true],
    ['', ''],
    ['k'.repeat(10_000), 1],
    ['ключ', deepObject(1000)],
  ];
  const withProto = prototypeKeyObjects().map((extra) => ({ field: Object.keys(extra).join('+'), payload: { ...structuredClone(base), ...extra } }));
  return [...extras.map(([key, value]) => ({ field: key.slice(0, 20) || "''", payload: { ...structuredClone(base), [key]: value } })), ...withProto];
}

let sharedLeaves: unknown[] | null = null;

/** A random value tree from the hostile leaves, to `depth` levels (objects use keys no contract field has). */
export function randomTree(random: () => number, depth: number): unknown {
  // Built once: the leaves are only read (every payload is structured-cloned before it is sent).
  const leaves = (sharedLeaves ??= hostileValues());
  const pick = random();
  if (depth <= 0 || pick < 0.5) return leaves[Math.floor(random() * leaves.length)];
  const size = 1 + Math.floor(random() * 4);
  if (pick < 0.75) return Array.from({ length: size }, () => randomTree(random, depth - 1));
  return Object.fromEntries(Array.from({ length: size }, () => [`k${Math.floor(random() * 1e6)}`, randomTree(random, depth - 1)]));
}

/** A payload that is no plain object at all, for any channel. */
export function isTopLevelInvalid(value: unknown): boolean {
  const kind = kindOf(value);
  return kind !== 'undefined' && kind !== 'object';
}
