/**
 * Python's `round(x, ndigits)` on a binary double: round half to even on the double's exact decimal
 * value (so 0.125 -> 0.12, but 2.675 -> 2.67 because 2.675 is stored slightly below). The FGD analysis
 * scripts round with it, and the binned curves depend on it.
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  const neg = x < 0;
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf('.');
  const intPart = exact.slice(0, dot);
  const frac = exact.slice(dot + 1);
  const keep = frac.slice(0, ndigits);
  const rest = frac.slice(ndigits);
  const digits = intPart + keep;
  let roundUp: boolean;
  const first = rest[0] ?? '0';
  if (first > '5') roundUp = true;
  else if (first < '5') roundUp = false;
  else if (/[1-9]/.test(rest.slice(1))) roundUp = true;
  else roundUp = Number(digits[digits.length - 1] ?? '0') % 2 === 1;
  let n = BigInt(digits);
  if (roundUp) n += 1n;
  const v = Number(n) / 10 ** ndigits;
  return neg ? -v : v;
}
