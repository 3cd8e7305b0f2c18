import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { TextEncoding } from '../../../src-main/common/ingest';
import { detectEncoding } from '../../../src-main/node/ingest/encoding-detect';
import { detectSource } from '../../../src-main/node/ingest/source';
import { decodeText } from '../../../src-main/node/ingest/text-decoder';
import { chunksOf, collect, failure, readAll, useTempDir } from './helpers';

const tmp = useTempDir();

/** Real-world-like reviews in the languages each legacy encoding is used for. */
const reviews: Record<'gb18030' | 'big5' | 'shift_jis' | 'windows-1252' | 'utf-16', string[]> = {
  gb18030: [
    '这家酒店的位置非常好，离地铁站很近，步行只要五分钟。',
    '房间干净整洁，床很舒服，服务员态度热情。',
    '早餐种类丰富，但是隔音效果一般，晚上能听到走廊的声音。',
    '总体来说性价比很高，下次出差还会再来住。',
  ],
  big5: [
    '這家餐廳的牛肉麵非常好吃，湯頭濃郁，麵條有嚼勁。',
    '服務生親切有禮，環境乾淨舒適。',
    '價格稍微偏高，但是品質值得，週末人潮眾多，建議提早訂位。',
    '甜點也很精緻，下次還會再來。',
  ],
  shift_jis: [
    'このホテルは駅から近くてとても便利でした。',
    '部屋は広くて清潔で、スタッフの対応も丁寧でした。',
    '朝食のバイキングは種類が豊富で美味しかったです。',
    'ただ、エアコンの音が少しうるさかったので星四つです。',
  ],
  'windows-1252': [
    'Très bon restaurant, l’accueil était chaleureux et le café crème délicieux.',
    'Prix : 25 € par personne – « à recommander » sans hésiter.',
    'Das Frühstück war großartig, aber die Zimmer waren ziemlich laut.',
    'Für 89 € pro Nacht würde ich „nicht“ wiederkommen – schade!',
  ],
  'utf-16': [
    'The room was "spotless" and the staff friendly.',
    'Café au lait, croissants – everything you’d want.',
    'Noisy at night, 2/5.',
    '酒店很好 – 早餐也不错。',
  ],
};

function csvOf(lines: string[], lineBreak = '\n'): string {
  const quoted = (l: string) => `"${l.replaceAll('"', '""')}"`;
  return `text,label${lineBreak}${lines.map((l, i) => `${quoted(l)},${i % 2 ? 'negative' : 'positive'}`).join(lineBreak)}${lineBreak}`;
}

const bom = {
  'utf-8': Buffer.from([0xef, 0xbb, 0xbf]),
  'utf-16le': Buffer.from([0xff, 0xfe]),
  'utf-16be': Buffer.from([0xfe, 0xff]),
};

const cases: Array<{ name: string; expected: TextEncoding; lines: string[]; bytes: (text: string) => Buffer; sure: boolean }> = [
  { name: 'gb18030', expected: 'gb18030', lines: reviews.gb18030, bytes: (t) => iconv.encode(t, 'gb18030'), sure: false },
  { name: 'big5', expected: 'big5', lines: reviews.big5, bytes: (t) => iconv.encode(t, 'big5'), sure: false },
  { name: 'shift_jis', expected: 'shift_jis', lines: reviews.shift_jis, bytes: (t) => iconv.encode(t, 'shift_jis'), sure: false },
  {
    name: 'windows-1252',
    expected: 'windows-1252',
    lines: reviews['windows-1252'],
    bytes: (t) => iconv.encode(t, 'windows-1252'),
    sure: false,
  },
  { name: 'utf-8', expected: 'utf-8', lines: reviews.gb18030, bytes: (t) => Buffer.from(t, 'utf8'), sure: true },
  {
    name: 'utf-8 with BOM',
    expected: 'utf-8',
    lines: reviews['windows-1252'],
    bytes: (t) => Buffer.concat([bom['utf-8'], Buffer.from(t, 'utf8')]),
    sure: true,
  },
  {
    name: 'utf-16le with BOM',
    expected: 'utf-16le',
    lines: reviews['utf-16'],
    bytes: (t) => Buffer.concat([bom['utf-16le'], iconv.encode(t, 'utf-16le')]),
    sure: true,
  },
  {
    name: 'utf-16be with BOM',
    expected: 'utf-16be',
    lines: reviews['utf-16'],
    bytes: (t) => Buffer.concat([bom['utf-16be'], iconv.encode(t, 'utf-16be')]),
    sure: true,
  },
  { name: 'utf-16le without BOM', expected: 'utf-16le', lines: reviews['utf-16'], bytes: (t) => iconv.encode(t, 'utf-16le'), sure: false },
  { name: 'utf-16be without BOM', expected: 'utf-16be', lines: reviews['utf-16'], bytes: (t) => iconv.encode(t, 'utf-16be'), sure: false },
];

describe('encodings', () => {
  it.each(cases)('detects $name and decodes the reviews exactly', async ({ name, expected, lines, bytes, sure }) => {
    const path = await tmp.file(`${name.replaceAll(' ', '-')}.csv`, bytes(csvOf(lines, '\r\n')));
    const { stream, records } = await readAll(path);
    expect(stream.source.encoding).toBe(expected);
    if (sure) expect(stream.source.encodingConfidence).toBe(1);
    else expect(stream.source.encodingConfidence).toBeGreaterThan(0.3);
    expect(stream.columns).toEqual(['text', 'label']);
    expect(records.map((r) => r.fields.text)).toEqual(lines);
    expect(records.map((r) => r.line)).toEqual([2, 3, 4, 5]);
  });

  it.each(cases)('decodes $name the same when chunks split its characters', async ({ name, lines, bytes }) => {
    const path = await tmp.file(`split-${name.replaceAll(' ', '-')}.csv`, bytes(csvOf(lines)));
    for (const chunkSize of [1, 2, 3, 5]) {
      const { records } = await readAll(path, {}, { chunkSize });
      expect(records.map((r) => r.fields.text), `chunk size ${chunkSize}`).toEqual(lines);
    }
  });

  it('decodes every supported encoding byte by byte', async () => {
    const text = '价格 € naïve ’quotes’ 星四つ 乾淨\r\n';
    const encodings: Array<[TextEncoding, string]> = [
      ['utf-8', text],
      ['utf-16le', text],
      ['utf-16be', text],
      ['gb18030', text],
      ['big5', '乾淨 價格\r\n'],
      ['shift_jis', '星四つ 駅\r\n'],
      ['windows-1252', 'naïve € ’quotes’ – „gut“\r\n'],
    ];
    for (const [encoding, sample] of encodings) {
      const decoded = await collect(decodeText(chunksOf(iconv.encode(sample, encoding), 1), encoding));
      expect(decoded.flat().join(''), encoding).toBe(sample);
    }
  });

  it('lets an explicit encoding override detection', async () => {
    const path = await tmp.file('forced.csv', iconv.encode(csvOf(reviews['windows-1252']), 'windows-1252'));
    const { stream, records } = await readAll(path, { encoding: 'windows-1252' });
    expect(stream.source).toMatchObject({ encoding: 'windows-1252', encodingConfidence: 1 });
    expect(records[1].fields.text).toBe(reviews['windows-1252'][1]);

    const wrong = await failure(readAll(path, { encoding: 'utf-8' }));
    expect(wrong.message).toBe(
      "line 2: invalid UTF-8 (byte 0xE8 at offset 14); choose the file's encoding (e.g. windows-1252) in the import options",
    );
  });

  it('names the line of invalid UTF-8 found after the detection sample', async () => {
    // 300 KB of ASCII decides UTF-8; a windows-1252 review far below it must stop the import.
    const ascii = Array.from({ length: 6000 }, (_, i) => `"review number ${i} with some padding text here",positive`);
    const content = Buffer.concat([
      Buffer.from(`text,label\n${ascii.join('\n')}\n`),
      iconv.encode('"Très cher, à éviter",negative\n', 'windows-1252'),
    ]);
    expect(content.length).toBeGreaterThan(256 * 1024);
    const path = await tmp.file('late-latin1.csv', content);
    expect((await detectSource(path)).encoding).toBe('utf-8');
    const error = await failure(readAll(path));
    expect(error.message).toBe(
      `line 6,002: invalid UTF-8 (byte 0xE8 at offset ${content.indexOf(0xe8).toLocaleString('en-US')}); choose the file's encoding (e.g. windows-1252) in the import options`,
    );
    expect(error).toMatchObject({ code: 'bad-file', line: 6002 });
  });

  it('takes UTF-8 with a few damaged bytes for UTF-8 and stops at the first, not for windows-1252 mojibake', async () => {
    const damaged = Buffer.concat([
      Buffer.from('text,label\nCafé scene was lovely,positive\nNaïve plot,positive\nThe sound cut out '),
      Buffer.from([0xff]),
      Buffer.from(' twice,negative\n'),
    ]);
    expect(detectEncoding(damaged, true)).toMatchObject({ encoding: 'utf-8', confidence: 0.5 });
    const error = await failure(readAll(await tmp.file('damaged.csv', damaged)));
    expect(error.message).toBe(
      `line 4: invalid UTF-8 (byte 0xFF at offset ${damaged.indexOf(0xff)}); choose the file's encoding (e.g. windows-1252) in the import options`,
    );
    // Real windows-1252 text, accents and curly quotes included, is still read as such.
    const western = iconv.encode(csvOf(reviews['windows-1252']), 'windows-1252');
    expect(detectEncoding(western, true).encoding).toBe('windows-1252');
    const cut = Buffer.concat([Buffer.from('text\nfine\ncaf'), Buffer.from([0xc3])]);
    expect((await failure(readAll(await tmp.file('cut.csv', cut), { encoding: 'utf-8' }))).message).toBe(
      `line 3: invalid UTF-8 (the file ends in the middle of a character, at offset ${cut.length - 1}); choose the file's encoding (e.g. windows-1252) in the import options`,
    );
  });

  describe('invalid bytes in other encodings', () => {
    const problem = (encoding: string) =>
      `bytes that are not valid ${encoding}; choose the file's encoding in the import options`;
    /** `text,label` header, two good rows, then a row whose text holds `bad` bytes (line 4). */
    const withBadRow = (encoding: TextEncoding, good: string[], bad: number[]) =>
      Buffer.concat([
        iconv.encode(`text,label\n${good.map((l) => `"${l.replaceAll('"', '""')}",positive`).join('\n')}\n"`, encoding),
        Buffer.from(bad),
        iconv.encode('",negative\nfine,positive\n', encoding),
      ]);
    const cases: Array<{ encoding: TextEncoding; good: string[]; bad: number[] }> = [
      { encoding: 'gb18030', good: reviews.gb18030.slice(0, 2), bad: [0xc4, 0xe3, 0xff, 0x20, 0x81, 0x20] },
      { encoding: 'big5', good: reviews.big5.slice(0, 2), bad: [0xa4, 0xa4, 0xff, 0xff] },
      { encoding: 'shift_jis', good: reviews.shift_jis.slice(0, 2), bad: [0x82, 0xa0, 0xa0, 0xfd] },
      // A lone high surrogate (D800) before "x".
      { encoding: 'utf-16le', good: reviews['utf-16'].slice(0, 2), bad: [0x00, 0xd8, 0x78, 0x00] },
      { encoding: 'utf-16be', good: reviews['utf-16'].slice(0, 2), bad: [0xd8, 0x00, 0x00, 0x78] },
    ];

    it.each(cases)('stops at the line with bytes that are not $encoding', async ({ encoding, good, bad }) => {
      const path = await tmp.file(`bad-${encoding}.csv`, withBadRow(encoding, good, bad));
      for (const chunkSize of [1, 3, 1 << 20]) {
        const error = await failure(readAll(path, { encoding }, { chunkSize }));
        expect(error.message, `chunk size ${chunkSize}`).toBe(`line 4: ${problem(encoding)}`);
        expect(error).toMatchObject({ code: 'bad-file', line: 4 });
      }
    });

    it('names the last line when a character is cut off by the end of the file', async () => {
      const cut: Array<[TextEncoding, Buffer]> = [
        ['gb18030', Buffer.concat([iconv.encode('好\n很好\n', 'gb18030'), Buffer.from([0xc4])])],
        ['shift_jis', Buffer.concat([iconv.encode('駅\n駅\n', 'shift_jis'), Buffer.from([0x82])])],
        ['utf-16le', Buffer.concat([iconv.encode('ok\nok\n', 'utf-16le'), Buffer.from([0x41])])],
        ['utf-16be', Buffer.concat([iconv.encode('ok\nok\n\ud83d', 'utf-16be')])],
      ];
      for (const [encoding, bytes] of cut) {
        const error = await failure(collect(decodeText(chunksOf(bytes, 2), encoding)));
        expect(error.message, encoding).toBe(`line 3: ${problem(encoding)}`);
      }
    });

    it('keeps a U+FFFD the file really contains', async () => {
      const text = '好\uFFFD评 \uFFFD\n\uFFFD😀\n';
      for (const encoding of ['gb18030', 'utf-16le', 'utf-16be'] as const) {
        for (const size of [1, 2, 3, 5, 1 << 20]) {
          const decoded = await collect(decodeText(chunksOf(iconv.encode(text, encoding), size), encoding));
          expect(decoded.flat().join(''), `${encoding}, chunk size ${size}`).toBe(text);
        }
      }
    });

    it('decodes the five bytes windows-1252 leaves undefined to C1 controls, as browsers do', async () => {
      const bytes = Buffer.from([0x41, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x80, 0x42]);
      const decoded = await collect(decodeText(chunksOf(bytes, 3), 'windows-1252'));
      expect(decoded.flat().join('')).toBe('A\u0081\u008d\u008f\u0090\u009d\u20acB');
    });
  });

  it('removes byte-order marks in the middle of the text', async () => {
    const part = (t: string) => Buffer.concat([bom['utf-8'], Buffer.from(t)]);
    const path = await tmp.file('concatenated.txt', Buffer.concat([part('first review\n'), part('second review\n')]));
    const { records } = await readAll(path);
    expect(records.map((r) => r.fields.text)).toEqual(['first review', 'second review']);
  });

  it('falls back to windows-1252 with low confidence when nothing fits', () => {
    const detected = detectEncoding(Buffer.from([0x41, 0x81, 0x42, 0x8d, 0x43, 0x0a]), true);
    expect(detected.encoding).toBe('windows-1252');
    expect(detected.confidence).toBeLessThan(0.5);
  });

  it('ignores a UTF-8 character cut off at the end of the sample', () => {
    const text = Buffer.from('好'.repeat(100));
    expect(detectEncoding(text.subarray(0, 298), false)).toEqual({ encoding: 'utf-8', confidence: 1, bomLength: 0 });
  });
});
