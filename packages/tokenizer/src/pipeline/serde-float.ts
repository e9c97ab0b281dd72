// The f64 that tokenizers (Rust) gets for a number in tokenizer.json. serde_json without its `float_roundtrip`
// feature does not round decimal text correctly: it reads the digits into a u64, converts that to f64 and divides
// (or multiplies) by a power of ten, two roundings that can land one ulp away from JSON.parse's value. Unigram ties
// (`l ll` vs `ll l`) then break the other way, so the vocabulary scores are read the same way.
// https://github.com/serde-rs/json/blob/master/src/de.rs (parse_decimal, parse_exponent, f64_from_parts)

const NUMBER = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/**
 * serde_json's value for the shortest decimal text of `x` (the text Python's json and Rust's ryu write, and what
 * Number.prototype.toString gives back).
 */
export function serdeJsonF64(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const m = NUMBER.exec(Math.abs(x).toString());
  if (m === null) return x;
  const fraction = m[2] ?? '';
  const digits = `${m[1]}${fraction}`.replace(/^0+(?=\d)/, '');
  let exponent = Number(m[3] ?? 0) - fraction.length;
  // At most 17 significant digits: the significand fits serde's u64, and `as f64` rounds to nearest, ties even.
  let f = Number(BigInt(digits));
  while (exponent < -308 && f !== 0) {
    f /= 1e308;
    exponent += 308;
  }
  if (exponent >= 0) f *= Number(`1e${exponent}`);
  else f /= Number(`1e${-exponent}`);
  return x < 0 ? -f : f;
}
