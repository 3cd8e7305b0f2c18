export { Tokenizer } from './tokenizer';
export { Vocabulary, countTokens } from './vocabulary';
export type { VocabularyOptions } from './vocabulary';
export { padSequences, encodeTokenLists } from './sequences';
export type { EncodedBatch, SequenceOptions } from './sequences';
export { normalizeText } from './normalize';
export { decodeEntities } from './entities';
export { splitWords } from './words';
export { tokenLengthStats, percentile } from './lengths';
