/**
 * Tokenization throughput (normalise + split, no vocabulary lookup). The runner loads the texts;
 * MB are 10^6 bytes of UTF-8, so a Chinese character counts 3 bytes.
 */
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { Tokenizer } from '../src-main/node/text/tokenizer';
import { median } from './data';

export interface TokenizeBenchResult {
  mbPerSecond: number[];
  tokensPerSecond: number[];
  medianMbPerSecond: number;
}

function tokenizeAll(tokenizer: Tokenizer, texts: readonly string[]): number {
  let tokens = 0;
  for (let i = 0; i < texts.length; i++) tokens += tokenizer.tokenize(texts[i]).length;
  return tokens;
}

export async function benchTokenize(opts: { texts: string[]; repeats: number }): Promise<TokenizeBenchResult> {
  const { texts } = opts;
  const repeats = Math.max(1, Math.floor(opts.repeats));
  const tokenizer = new Tokenizer();
  let bytes = 0;
  for (const text of texts) bytes += Buffer.byteLength(text, 'utf8');
  tokenizeAll(tokenizer, texts); // warm-up: JIT, regex compilation, Intl.Segmenter instances
  const mbPerSecond: number[] = [];
  const tokensPerSecond: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    const tokens = tokenizeAll(tokenizer, texts);
    const seconds = (performance.now() - start) / 1000;
    mbPerSecond.push(bytes / 1e6 / seconds);
    tokensPerSecond.push(tokens / seconds);
    // Let the event loop breathe between repeats (progress output, cancellation).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { mbPerSecond, tokensPerSecond, medianMbPerSecond: median(mbPerSecond) };
}
