/**
 * Types for the one natural submodule the scorer loads. Importing natural's tokenizers/index.js would load
 * every tokenizer (~170 ms at start-up); regexp_tokenizer.js alone takes ~25 ms and ships no .d.ts.
 */
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer.js' {
  export { RegexpTokenizer } from 'natural/lib/natural/tokenizers/index.js';
}
