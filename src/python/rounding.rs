//! Python's `round(number, ndigits)` on floats and ints, correctly rounded
//! as CPython's `float.__round__` (exact decimal value of the double, ties
//! to even: `round(2.675, 2)` is `2.67`, `round(0.125, 2)` is `0.12`) and
//! `int.__round__` (`round(1250, -2)` is `1200`).

/// `round(f)`: the nearest integer, ties to even, as a float.
pub fn round_half_even(f: f64) -> f64 {
    if (f - f.trunc()).abs() == 0.5 {
        2.0 * (f / 2.0).round()
    } else {
        f.round()
    }
}

/// `round(f, ndigits)` for a finite or infinite float, as CPython's
/// `double_round`: the exact value of `f` rounded to `ndigits` decimal
/// places, ties to even; a NaN or infinity comes back unchanged.
pub fn round_float(f: f64, ndigits: i64) -> f64 {
    if !f.is_finite() || f == 0.0 {
        return f;
    }
    if ndigits >= 0 {
        // A double has at most 1074 digits after the point; Rust prints
        // the exact decimal value rounded half to even.
        if ndigits > 1100 {
            return f;
        }
        let s = format!("{:.*}", ndigits as usize, f);
        let r = s.parse::<f64>().unwrap_or(f);
        return if r == 0.0 { 0.0f64.copysign(f) } else { r };
    }
    // Negative ndigits: to a multiple of 10^-ndigits. Doubles beyond i128
    // are rounded in floating point, close enough at that size.
    if ndigits < -38 || f.abs() >= 1e37 {
        let factor = 10f64.powi((-ndigits).min(308) as i32);
        let r = round_half_even(f / factor) * factor;
        return if r == 0.0 { 0.0f64.copysign(f) } else { r };
    }
    let whole = f.trunc();
    let frac = f - whole; // exact
    let unit = 10i128.pow((-ndigits) as u32);
    let r = round_i128(whole as i128, unit, frac);
    let r = r as f64;
    if r == 0.0 { 0.0f64.copysign(f) } else { r }
}

/// `round(i, ndigits)` for an int: `i` itself for `ndigits >= 0`, else
/// the nearest multiple of `10**-ndigits`, ties to even.
pub fn round_int(i: i64, ndigits: i64) -> i64 {
    if ndigits >= 0 {
        return i;
    }
    if ndigits < -19 {
        return 0;
    }
    let unit = 10i128.pow((-ndigits) as u32);
    round_i128(i128::from(i), unit, 0.0) as i64
}

/// `whole + frac` (`frac` the fractional part, same sign as `whole`)
/// rounded to a multiple of `unit`, ties to even.
fn round_i128(whole: i128, unit: i128, frac: f64) -> i128 {
    let q = whole.div_euclid(unit);
    let rem = whole.rem_euclid(unit); // 0 <= rem < unit
    let down = q * unit;
    // Distance above `down`, doubled, compared with `unit`: the
    // fractional part breaks ties (it is 0 for ints).
    let twice = 2 * rem;
    let above_half = twice > unit || (twice == unit && frac > 0.0);
    let below_half = twice < unit || (twice == unit && frac < 0.0);
    let tie_to_odd = !above_half && !below_half && q % 2 != 0;
    if above_half || tie_to_odd {
        down + unit
    } else {
        down
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_round_their_exact_value_ties_to_even() {
        // Each from CPython 3.11.
        let cases = [
            (0.125, 2, 0.12),
            (0.375, 2, 0.38),
            (2.675, 2, 2.67),
            (1.23456, 2, 1.23),
            (2.5, 0, 2.0),
            (-2.5, 0, -2.0),
            (1234.5, -2, 1200.0),
            (1250.0, -2, 1200.0),
            (1250.5, -2, 1300.0),
            (-1250.5, -2, -1300.0),
            (1350.0, -2, 1400.0),
            (2.5, -1, 0.0),
            (1e300, 2, 1e300),
            (1e300, -2, 1e300),
        ];
        for (f, n, want) in cases {
            assert_eq!(round_float(f, n), want, "round({f}, {n})");
        }
        assert!(round_float(-0.4, 0).is_sign_negative());
    }

    #[test]
    fn ints_round_to_tens_hundreds_ties_to_even() {
        let cases = [
            (1234, -2, 1200),
            (1250, -2, 1200),
            (-1250, -2, -1200),
            (1350, -2, 1400),
            (5, -1, 0),
            (15, -1, 20),
            (-15, -1, -20),
            (7, 2, 7),
            (7, -30, 0),
        ];
        for (i, n, want) in cases {
            assert_eq!(round_int(i, n), want, "round({i}, {n})");
        }
    }
}
