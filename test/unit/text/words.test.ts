import { describe, expect, it, vi } from 'vitest';
import { segmenterDefaults } from '../../../src-main/common/tokenizer';
import { Tokenizer } from '../../../src-main/node/text/tokenizer';
import { splitWords } from '../../../src-main/node/text/words';

// CJK and Thai expectations follow the ICU word dictionaries of Node 20 (ICU 7x); a new ICU may
// segment differently, which is also why tokenizer.json records the ICU version.
const tokenize = (text: string): string[] => new Tokenizer().tokenize(text);

describe('English', () => {
  it('keeps contractions whole, with straight or curly apostrophes', () => {
    expect(tokenize("I don't think it's bad; l'amour isn’t dead")).toEqual([
      'i', "don't", 'think', "it's", 'bad', ';', "l'amour", "isn't", 'dead',
    ]);
  });

  it('makes stray and trailing apostrophes punctuation', () => {
    expect(tokenize("the teachers' 'pomp'")).toEqual(['the', 'teachers', "'", "'", 'pomp', "'"]);
  });

  it('emits each punctuation mark, one token per run of the same mark, cut to 3', () => {
    expect(tokenize('Wow!!!!! Really?! Hmm......... ok.')).toEqual(['wow', '!!!', 'really', '?', '!', 'hmm', '...', 'ok', '.']);
    expect(tokenize('a-b (c) "d" $5 #1 x/y')).toEqual(['a', '-', 'b', '(', 'c', ')', '"', 'd', '"', '$', '5', '#', '1', 'x', '/', 'y']);
  });

  it('keeps numbers with inner separators and alphanumerics together', () => {
    expect(tokenize('Rated 4.5/10, cost 1,000.50 in the 80s on mp3')).toEqual([
      'rated', '4.5', '/', '10', ',', 'cost', '1,000.50', 'in', 'the', '80s', 'on', 'mp3',
    ]);
  });

  it('lower-cases unless told not to', () => {
    expect(new Tokenizer({ lowercase: false }).tokenize('GREAT Film')).toEqual(['GREAT', 'Film']);
  });

  it('cleans html and entities before splitting', () => {
    expect(tokenize('Great.<br /><br />Tom &amp; Jerry&#39;s &quot;best&quot;')).toEqual([
      'great', '.', 'tom', '&', "jerry's", '"', 'best', '"',
    ]);
  });

  it('keeps <url> and <user> as single tokens', () => {
    expect(tokenize('@critic said see https://imdb.com/title/tt0111161/ (www.x.org)')).toEqual([
      '<user>', 'said', 'see', '<url>', '(', '<url>', ')',
    ]);
  });

  it('returns no tokens for empty or blank text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \n\t ')).toEqual([]);
    expect(tokenize('<br />')).toEqual([]);
  });
});

describe('other space-separated scripts', () => {
  it('splits Cyrillic, Greek and accented Latin as words', () => {
    expect(tokenize('Отличный фильм! Ταινία πολύ καλή. Café crème, ÇA VA')).toEqual([
      'отличный', 'фильм', '!', 'ταινία', 'πολύ', 'καλή', '.', 'café', 'crème', ',', 'ça', 'va',
    ]);
  });
});

describe('Chinese, Japanese and Thai through Intl.Segmenter', () => {
  it('segments a ChnSentiCorp-like hotel review and keeps punctuation', () => {
    expect(tokenize('酒店位置不错，就是隔音太差了...')).toEqual(['酒店', '位置', '不错', ',', '就是', '隔音', '太', '差', '了', '...']);
    expect(tokenize('房间很干净，服务也很好！早餐一般。')).toEqual([
      '房间', '很', '干净', ',', '服务', '也', '很好', '!', '早餐', '一般', '。',
    ]);
  });

  it('segments Japanese with kana', () => {
    expect(tokenize('ホテルの部屋は狭いけど、きれいでした')).toEqual([
      'ホテル', 'の', '部屋', 'は', '狭い', 'けど', '、', 'きれい', 'で', 'した',
    ]);
  });

  it('picks the locale per text: ja when it has kana anywhere, zh for Han only, th for Thai', () => {
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    try {
      const localesFor = (text: string): string[] => {
        segment.mockClear();
        tokenize(text);
        return segment.mock.contexts.map((segmenter) => (segmenter as Intl.Segmenter).resolvedOptions().locale);
      };
      expect(localesFor('映画、最高でした')).toEqual(['ja']);
      expect(localesFor('映画、最高')).toEqual(['zh']);
      expect(localesFor('ดีมาก')).toEqual(['th']);
      expect(localesFor('好 ดี')).toEqual(['zh', 'th']);
      expect(localesFor("an English review, isn't it")).toEqual([]);
    } finally {
      segment.mockRestore();
    }
  });

  it('segments Thai', () => {
    expect(tokenize('อาหารอร่อยมาก แต่บริการช้า')).toEqual(['อาหาร', 'อร่อย', 'มาก', 'แต่', 'บริการ', 'ช้า']);
  });

  it('handles mixed scripts in one text', () => {
    expect(tokenize('这个酒店very好!')).toEqual(['这个', '酒店', 'very', '好', '!']);
    expect(tokenize('This movie was 10/10 😍😍 好看！Отлично')).toEqual([
      'this', 'movie', 'was', '10', '/', '10', '😍', '😍', '好看', '!', 'отлично',
    ]);
  });

  it('gives the words of segmenting each run alone (runs are segmented joined for speed)', () => {
    const text = '房间太小。其他的都一般。酒店位置不错，就是隔音太差了';
    const seg = new Intl.Segmenter('zh', { granularity: 'word' });
    const perRun = text
      .split(/[。，]/)
      .flatMap((run) => [...seg.segment(run)].filter((s) => s.isWordLike).map((s) => s.segment));
    expect(tokenize(text).filter((t) => t !== '。' && t !== ',')).toEqual(perRun);
  });
});

describe('emoji', () => {
  it('keeps skin tones, variation selectors, ZWJ sequences, flags and keycaps as one token', () => {
    expect(tokenize('I ❤️ it 👍🏽👍🏽 👨‍👩‍👧 🏳️‍🌈 🇯🇵 1️⃣')).toEqual(['i', '❤️', 'it', '👍🏽', '👍🏽', '👨‍👩‍👧', '🏳️‍🌈', '🇯🇵', '1️⃣']);
  });

  it('separates emoji from adjacent words and repeats', () => {
    expect(tokenize('great😂😂film')).toEqual(['great', '😂', '😂', 'film']);
  });
});

describe('splitWords', () => {
  it('gives the same tokens on the ASCII fast path and the Unicode path', () => {
    const ascii = "don't stop!!!! <url> 4.5/10 l'amour (x) 1,000 a_b ~^`| <user> <pad> ...";
    // A trailing no-break space forces the Unicode path and is itself not a token.
    expect(splitWords(`${ascii}\u00a0`)).toEqual(splitWords(ascii));
    // Only the two placeholders are protected; anything else in angle brackets is ordinary text.
    expect(splitWords('<pad> <url>')).toEqual(['<', 'pad', '>', '<url>']);
  });

  it('honours punctuationRunMax', () => {
    expect(splitWords('wow!!!!! ……', { ...segmenterDefaults, punctuationRunMax: 1 })).toEqual(['wow', '!', '…']);
  });

  it('appends to the array it is given', () => {
    const out = ['x'];
    expect(splitWords('a b', segmenterDefaults, out)).toBe(out);
    expect(out).toEqual(['x', 'a', 'b']);
  });
});
