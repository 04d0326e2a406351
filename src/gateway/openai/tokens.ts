/**
 * Token estimates without a tokenizer: about 4 characters per token for ASCII text and one token
 * per CJK (non-ASCII) character, the usual rule of thumb for BPE vocabularies. Used for admission
 * (rate limits, oversized prompts) and by the emulator; accounting uses the backend's own usage.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) ascii += 1;
    else if (c < 0xdc00 || c > 0xdfff) other += 1; // count a surrogate pair once
  }
  return Math.ceil(ascii / 4) + other;
}
