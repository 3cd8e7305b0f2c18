import { describe, expect, it } from 'vitest';
import { normalizationDefaults } from '../../../src-main/common/tokenizer';
import { decodeEntities } from '../../../src-main/node/text/entities';
import { normalizeText } from '../../../src-main/node/text/normalize';

const squeeze = (text: string): string => text.replace(/\s+/g, ' ');

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(decodeEntities('Tom &amp; Jerry &lt;3 &gt; &quot;hi&quot; it&#39;s it&#x27;s a&nbsp;b')).toBe(
      'Tom & Jerry <3 > "hi" it\'s it\'s a\u00a0b',
    );
    expect(decodeEntities('caf&eacute; &Auml; &hellip; &mdash; &euro;5 &#8217;')).toBe('café Ä … — €5 \u2019');
  });

  it('leaves unknown names, bare ampersands and invalid code points as written', () => {
    expect(decodeEntities('R&B &H; &notanentity; &#0; &#xD800; AT&T')).toBe('R&B &H; &notanentity; &#0; &#xD800; AT&T');
  });
});

describe('normalizeText', () => {
  it('lower-cases by default and keeps case when asked', () => {
    expect(normalizeText('GREAT Movie')).toBe('great movie');
    expect(normalizeText('GREAT Movie', { ...normalizationDefaults, lowercase: false })).toBe('GREAT Movie');
  });

  it('removes tags (br, p, a with attributes, comments) but keeps text that only looks like one', () => {
    // Tags become spaces so the words on either side stay apart.
    expect(squeeze(normalizeText('Good.<br /><br />Bad<p>x</p><a href="http://x.org/">link</a><!-- hidden -->!'))).toBe(
      'good. bad x link !',
    );
    expect(normalizeText('I <3 it, 1 < 2 and 3 > 2')).toBe('i <3 it, 1 < 2 and 3 > 2');
  });

  it('decodes entities after removing tags, so an escaped tag stays text', () => {
    expect(normalizeText('a &lt;br&gt; b &amp; c')).toBe('a <br> b & c');
  });

  it('applies NFKC to non-ASCII text and turns ’ and ´ into apostrophes', () => {
    expect(normalizeText('ｆｕｌｌ　ｗｉｄｔｈ！ ﬁne')).toBe('full width! fine');
    expect(normalizeText('don’t don´t')).toBe("don't don't");
    expect(normalizeText('a&nbsp;b')).toBe('a b');
    expect(normalizeText('ｆｕｌｌ', { ...normalizationDefaults, nfkc: false })).toBe('ｆｕｌｌ');
  });

  it('removes soft hyphens, also written as &shy;, with or without NFKC', () => {
    expect(normalizeText('co\u00ADoperation')).toBe('cooperation');
    expect(normalizeText('Co&shy;operation &amp; re\u00ADuse')).toBe('cooperation & reuse');
    expect(normalizeText('co\u00ADop', { ...normalizationDefaults, nfkc: false })).toBe('coop');
    expect(normalizeText('co&shy;op', { ...normalizationDefaults, decodeEntities: false })).toBe('co&shy;op');
  });

  it('folds URLs to <url>, leaving trailing punctuation outside', () => {
    expect(squeeze(normalizeText('See http://example.com/a?b=1. Or HTTPS://X.org, www.imdb.com/title/tt1!'))).toBe(
      'see <url> . or <url> , <url> !',
    );
    expect(normalizeText('http://x.org', { ...normalizationDefaults, foldUrls: false })).toBe('http://x.org');
  });

  it('folds @mentions to <user> but not e-mail addresses', () => {
    expect(squeeze(normalizeText('@John_Doe thanks, write to me@example.com @ noon'))).toBe(' <user> thanks, write to me@example.com @ noon');
    expect(normalizeText('@bob', { ...normalizationDefaults, foldMentions: false })).toBe('@bob');
  });

  it('can switch off tag removal and entity decoding', () => {
    const off = { ...normalizationDefaults, stripHtml: false, decodeEntities: false };
    expect(normalizeText('a<br />&amp;', off)).toBe('a<br />&amp;');
  });
});
