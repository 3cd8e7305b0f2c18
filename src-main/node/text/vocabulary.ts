/**
 * The token <-> id table. Id 0 is `<pad>`, id 1 is `<oov>`, real tokens follow by falling frequency.
 * Built from the training split only: counting validation or test texts would leak them into the model.
 */
import { OOV_INDEX, OOV_TOKEN, PAD_INDEX, PAD_TOKEN } from '../../common/tokenizer';

export interface VocabularyOptions {
  /** Entries in all, counting `<pad>` and `<oov>`: 10,000 keeps at most 9,998 real tokens. */
  maxSize: number;
  /** Tokens seen fewer times than this are left out (they become `<oov>`). */
  minCount: number;
}

export class Vocabulary {
  /** Index = id. */
  readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(tokens: readonly string[]) {
    if (tokens[PAD_INDEX] !== PAD_TOKEN || tokens[OOV_INDEX] !== OOV_TOKEN) {
      throw new Error(`a vocabulary starts with '${PAD_TOKEN}' and '${OOV_TOKEN}'`);
    }
    this.tokens = Object.freeze(tokens.slice());
    this.ids = new Map();
    for (let id = 0; id < tokens.length; id++) {
      if (this.ids.has(tokens[id])) throw new Error(`token '${tokens[id]}' appears twice in the vocabulary`);
      this.ids.set(tokens[id], id);
    }
  }

  /** Just `<pad>` and `<oov>`: every token encodes as out-of-vocabulary. */
  static empty(): Vocabulary {
    return new Vocabulary([PAD_TOKEN, OOV_TOKEN]);
  }

  /**
   * The `maxSize - 2` most frequent tokens seen at least `minCount` times. Equal counts are ordered by
   * the token string (code-unit order), so the same data always gives the same ids.
   */
  static build(tokenLists: Iterable<readonly string[]>, options: VocabularyOptions): Vocabulary {
    return Vocabulary.fromCounts(countTokens(tokenLists), options);
  }

  static fromCounts(counts: ReadonlyMap<string, number>, options: VocabularyOptions): Vocabulary {
    const { maxSize, minCount } = options;
    if (!Number.isInteger(maxSize) || maxSize < 2) throw new Error(`maxSize counts <pad> and <oov>, so it is at least 2 (got ${maxSize})`);
    const kept: [string, number][] = [];
    for (const entry of counts) {
      if (entry[1] >= minCount && entry[0] !== PAD_TOKEN && entry[0] !== OOV_TOKEN) kept.push(entry);
    }
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const tokens = [PAD_TOKEN, OOV_TOKEN];
    const real = Math.min(kept.length, maxSize - 2);
    for (let i = 0; i < real; i++) tokens.push(kept[i][0]);
    return new Vocabulary(tokens);
  }

  /** Entries in all, `<pad>` and `<oov>` included. */
  get size(): number {
    return this.tokens.length;
  }

  /** The id of a token, `<oov>`'s id when it is not in the vocabulary. */
  idOf(token: string): number {
    return this.ids.get(token) ?? OOV_INDEX;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** Read-only view for hot loops that want `Map#get` without a method call. */
  get idMap(): ReadonlyMap<string, number> {
    return this.ids;
  }
}

export function countTokens(tokenLists: Iterable<readonly string[]>, counts = new Map<string, number>()): Map<string, number> {
  for (const tokens of tokenLists) {
    for (let i = 0; i < tokens.length; i++) counts.set(tokens[i], (counts.get(tokens[i]) ?? 0) + 1);
  }
  return counts;
}
