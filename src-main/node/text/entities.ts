/**
 * HTML character references found in scraped reviews. Not the full HTML5 table (2,000+ names):
 * the ones review sites actually emit. Unknown names are left as written.
 */
const namedEntities: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0',
  ndash: '\u2013', mdash: '\u2014', hellip: '\u2026', bull: '\u2022', middot: '\u00b7',
  lsquo: '\u2018', rsquo: '\u2019', sbquo: '\u201a', ldquo: '\u201c', rdquo: '\u201d', bdquo: '\u201e',
  laquo: '\u00ab', raquo: '\u00bb', lsaquo: '\u2039', rsaquo: '\u203a', prime: '\u2032', Prime: '\u2033',
  copy: '\u00a9', reg: '\u00ae', trade: '\u2122', deg: '\u00b0', plusmn: '\u00b1', times: '\u00d7',
  divide: '\u00f7', frac12: '\u00bd', frac14: '\u00bc', frac34: '\u00be', sup1: '\u00b9', sup2: '\u00b2',
  sup3: '\u00b3', micro: '\u00b5', para: '\u00b6', sect: '\u00a7', iexcl: '\u00a1', iquest: '\u00bf',
  cent: '\u00a2', pound: '\u00a3', euro: '\u20ac', yen: '\u00a5', curren: '\u00a4', dagger: '\u2020',
  Dagger: '\u2021', permil: '\u2030', shy: '\u00ad', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009',
  zwnj: '\u200c', zwj: '\u200d', lrm: '\u200e', rlm: '\u200f', hearts: '\u2665', larr: '\u2190',
  rarr: '\u2192', uarr: '\u2191', darr: '\u2193', harr: '\u2194', szlig: '\u00df', eth: '\u00f0',
  ETH: '\u00d0', thorn: '\u00fe', THORN: '\u00de', aelig: '\u00e6', AElig: '\u00c6', oelig: '\u0153',
  OElig: '\u0152', oslash: '\u00f8', Oslash: '\u00d8', ccedil: '\u00e7', Ccedil: '\u00c7',
};

// Latin letters with the accents HTML names (&eacute; &Auml; ...): generated instead of listed.
const accents: Record<string, [string, string]> = {
  // name suffix: [combining mark, letters that take it]
  acute: ['\u0301', 'aeiouyAEIOUY'],
  grave: ['\u0300', 'aeiouAEIOU'],
  circ: ['\u0302', 'aeiouAEIOU'],
  uml: ['\u0308', 'aeiouyAEIOUY'],
  tilde: ['\u0303', 'anoANO'],
  ring: ['\u030a', 'aA'],
};
for (const [suffix, [mark, letters]] of Object.entries(accents)) {
  for (const letter of letters) namedEntities[letter + suffix] = (letter + mark).normalize('NFC');
}

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

function fromCodePoint(code: number, raw: string): string {
  // NUL, surrogates and values past Unicode are what a browser replaces; we keep the text as written.
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return raw;
  return String.fromCodePoint(code);
}

/** Decodes `&amp;`, `&#39;`, `&#x27;`, `&nbsp;` and the common named references; leaves unknown ones. */
export function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(ENTITY, (raw: string, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10), raw);
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16), raw);
    return Object.hasOwn(namedEntities, name!) ? namedEntities[name!] : raw;
  });
}
