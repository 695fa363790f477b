//! Exact amounts (万元), counts and percentages, read from the text the user wrote.
//!
//! YAML numbers reach us as their source text (the deserializer hands scalars over as strings),
//! so `463.79` is parsed straight into a [`Decimal`] and never passes through `f64`.

use rust_decimal::Decimal;

/// At most this many decimal places in an amount (spec §5, `amount.format`).
pub const MAX_AMOUNT_SCALE: u32 = 6;

/// Amounts are below this many 万元 (10¹² 万元 = 10¹⁶ 元, far beyond any budget): a bound that
/// keeps every sum of a form's amounts inside [`Decimal`]'s range, so no rule can overflow.
pub const MAX_AMOUNT_WAN: i64 = 1_000_000_000_000;

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    NotANumber,
    /// Scientific notation (`1e3`, `1e400`): a form writes amounts out in digits.
    Exponent,
    /// `.inf`, `.nan` and their spellings: YAML's special floats, never an amount.
    NotFinite,
    Negative,
    TooPrecise {
        places: u32,
    },
    /// At least [`MAX_AMOUNT_WAN`] 万元.
    TooLarge,
}

impl AmountError {
    pub fn zh(&self, text: &str) -> String {
        match self {
            AmountError::NotANumber => format!("金额应为数字（单位万元），而不是 “{text}”"),
            AmountError::Exponent => {
                format!("金额请直接写出数字，不用科学计数法：“{text}”（如 1500 或 0.15）")
            }
            AmountError::NotFinite => format!(
                "“{text}” 不是一个金额（它在 YAML 里表示无穷大或“非数”）：请写出数字，单位万元"
            ),
            AmountError::Negative => format!("金额不能为负数：{text}"),
            AmountError::TooPrecise { places } => {
                format!("金额最多 {MAX_AMOUNT_SCALE} 位小数，“{text}” 有 {places} 位")
            }
            AmountError::TooLarge => format!("金额过大：{text} 万元（上限 {MAX_AMOUNT_WAN} 万元）"),
        }
    }

    pub fn en(&self, text: &str) -> String {
        match self {
            AmountError::NotANumber => {
                format!("an amount must be a number (in 万元), not `{text}`")
            }
            AmountError::Exponent => {
                format!(
                    "write the amount out in digits, without an exponent: `{text}` (e.g. 1500 or 0.15)"
                )
            }
            AmountError::NotFinite => {
                format!(
                    "`{text}` is not an amount (YAML reads it as infinity or not-a-number): write a number in 万元"
                )
            }
            AmountError::Negative => format!("an amount cannot be negative: {text}"),
            AmountError::TooPrecise { places } => format!(
                "an amount has at most {MAX_AMOUNT_SCALE} decimal places; `{text}` has {places}"
            ),
            AmountError::TooLarge => {
                format!("amount too large: {text} 万元 (the limit is {MAX_AMOUNT_WAN} 万元)")
            }
        }
    }
}

/// A plain decimal number as written: sign, integer digits (separators removed), fraction digits.
struct Written<'a> {
    negative: bool,
    integer: String,
    fraction: Option<&'a str>,
}

/// Splits a plain decimal number: optional sign, digits with optional `,` thousands separators,
/// optional fraction. No exponents, no `inf`, no hex: what a finance form writes.
fn written(text: &str) -> Option<Written<'_>> {
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int_part, fraction) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if !valid_integer_part(int_part) {
        return None;
    }
    if let Some(f) = fraction
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(Written {
        negative,
        integer: int_part.chars().filter(|c| *c != ',').collect(),
        fraction,
    })
}

impl Written<'_> {
    /// The exact value; `None` when it does not fit a [`Decimal`] (28 significant digits).
    fn value(&self) -> Option<Decimal> {
        let mut plain = self.integer.clone();
        if let Some(f) = self.fraction {
            plain.push('.');
            plain.push_str(f);
        }
        // `from_str` rounds digits past Decimal's precision; `from_str_exact` refuses them.
        let mut value = Decimal::from_str_exact(&plain).ok()?;
        if self.negative {
            value.set_sign_negative(true);
        }
        Some(value)
    }
}

/// Parses a plain decimal number (see [`written`]) exactly; `None` when it is not one or does
/// not fit a [`Decimal`].
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    written(text)?.value()
}

/// `1234`, `1,234`, `1,234,567`: digits, with separators only every three digits.
fn valid_integer_part(s: &str) -> bool {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return false;
    }
    if !s.contains(',') {
        return true;
    }
    let groups: Vec<&str> = s.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    first_ok && groups[1..].iter().all(|g| g.len() == 3)
}

/// Parses an amount in 万元: a non-negative decimal with at most [`MAX_AMOUNT_SCALE`] places.
///
/// The checks read the text as written, before any conversion: 31 decimal places are reported
/// as 31 (a [`Decimal`] would have rounded them to 28), and 30 digits are too large rather than
/// "not a number".
pub fn parse_amount(text: &str) -> Result<Decimal, AmountError> {
    let Some(w) = written(text) else {
        return Err(not_a_number(text));
    };
    let places = w.fraction.map_or(0, str::len);
    if places > MAX_AMOUNT_SCALE as usize {
        return Err(AmountError::TooPrecise {
            places: u32::try_from(places).unwrap_or(u32::MAX),
        });
    }
    let significant = w.integer.trim_start_matches('0');
    let zero = significant.is_empty() && w.fraction.is_none_or(|f| f.bytes().all(|b| b == b'0'));
    if w.negative && !zero {
        return Err(AmountError::Negative);
    }
    // MAX_AMOUNT_WAN has 13 digits: anything longer is too large before it is converted.
    if significant.len() > 13 {
        return Err(AmountError::TooLarge);
    }
    let value = w.value().ok_or(AmountError::TooLarge)?;
    if value.abs() >= Decimal::from(MAX_AMOUNT_WAN) {
        return Err(AmountError::TooLarge);
    }
    Ok(value.abs())
}

/// Why a text that is not a plain decimal is not one, as precisely as can be said.
fn not_a_number(text: &str) -> AmountError {
    let t = text
        .trim()
        .trim_start_matches(['+', '-'])
        .to_ascii_lowercase();
    if matches!(t.as_str(), ".inf" | "inf" | "infinity" | ".nan" | "nan") {
        return AmountError::NotFinite;
    }
    let (mantissa, exponent) = match t.split_once('e') {
        Some(parts) => parts,
        None => return AmountError::NotANumber,
    };
    let exponent = exponent.trim_start_matches(['+', '-']);
    if written(mantissa).is_some()
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
    {
        AmountError::Exponent
    } else {
        AmountError::NotANumber
    }
}

/// Parses a percentage written as `397.25%`, `397.25` or `397.25 %` into the number of percent.
pub fn parse_percent(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = t
        .strip_suffix('%')
        .or_else(|| t.strip_suffix('％'))
        .unwrap_or(t);
    let v = parse_decimal(t)?;
    (!v.is_sign_negative() || v.is_zero()).then_some(v.abs())
}

/// Parses a head count: a non-negative whole number.
pub fn parse_count(text: &str) -> Option<u32> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Rounds half away from zero to 2 places, as the forms print money (and Excel's ROUND does).
pub fn round2(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// 执行率 in percent, as the form prints it: `round(part ÷ base × 100, 2)`, exact. `None` when
/// `base` is zero or the arithmetic would overflow (a rule then has nothing to compare).
pub fn rate_percent(part: Decimal, base: Decimal) -> Option<Decimal> {
    if base.is_zero() {
        return None;
    }
    // Multiply first: 1842.41 × 100 ÷ 463.79 keeps every digit Decimal can hold.
    let hundredfold = part.checked_mul(Decimal::ONE_HUNDRED)?;
    Some(round2(hundredfold.checked_div(base)?))
}

/// Formats money for print: always 2 decimals, no separators (`1203.78`, `150.00`).
pub fn format_money(value: Decimal) -> String {
    let mut v = round2(value);
    v.rescale(2);
    v.to_string()
}

/// Formats a percentage for print with 2 decimals (`397.25%`).
pub fn format_percent(value: Decimal) -> String {
    format!("{}%", format_money(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::d;

    mod rust_decimal_macros_free {
        pub fn d(s: &str) -> rust_decimal::Decimal {
            s.parse().unwrap()
        }
    }

    #[test]
    fn parses_plain_and_grouped_numbers_exactly() {
        assert_eq!(parse_amount("463.79"), Ok(d("463.79")));
        assert_eq!(parse_amount("1,200"), Ok(d("1200")));
        assert_eq!(parse_amount("1,234,567.5"), Ok(d("1234567.5")));
        assert_eq!(parse_amount("0"), Ok(d("0")));
        assert_eq!(parse_amount("-0"), Ok(d("0")));
        // 0.1 + 0.2 is exactly 0.3 here, which it is not in f64.
        assert_eq!(
            parse_amount("0.1").unwrap() + parse_amount("0.2").unwrap(),
            d("0.3")
        );
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for bad in [
            "", "abc", "12,34", "1,2345", ".5", "5.", "1.2.3", "0x10", "１２", "e5", "1e",
        ] {
            assert_eq!(parse_amount(bad), Err(AmountError::NotANumber), "{bad}");
        }
        for exp in ["1e3", "1e400", "1.5E-2", "-2e10"] {
            assert_eq!(parse_amount(exp), Err(AmountError::Exponent), "{exp}");
        }
        for special in [".inf", "-.inf", ".nan", ".NaN", "inf", "NaN"] {
            assert_eq!(
                parse_amount(special),
                Err(AmountError::NotFinite),
                "{special}"
            );
        }
        assert_eq!(parse_amount("-0.01"), Err(AmountError::Negative));
        assert_eq!(
            parse_amount("999999999999.999999"),
            Ok(d("999999999999.999999"))
        );
        assert_eq!(parse_amount("1000000000000"), Err(AmountError::TooLarge));
        assert_eq!(
            parse_amount("79228162514264337593543950335"),
            Err(AmountError::TooLarge)
        );
        // 30 digits do not fit a Decimal: too large, not "not a number".
        assert_eq!(
            parse_amount("123456789012345678901234567890"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(parse_amount("000000000000000000000000000001"), Ok(d("1")));
    }

    #[test]
    fn six_places_pass_seven_fail() {
        assert_eq!(parse_amount("1.123456"), Ok(d("1.123456")));
        assert_eq!(
            parse_amount("1.1234567"),
            Err(AmountError::TooPrecise { places: 7 })
        );
        // Counted as written: a Decimal would have kept 28 digits and said 26 places.
        let places31 = format!("12.{}", "3".repeat(31));
        assert_eq!(
            parse_amount(&places31),
            Err(AmountError::TooPrecise { places: 31 })
        );
        assert!(
            AmountError::TooPrecise { places: 31 }
                .en(&places31)
                .contains("has 31")
        );
    }

    #[test]
    fn percent_and_count() {
        assert_eq!(parse_percent("397.25%"), Some(d("397.25")));
        assert_eq!(parse_percent("100"), Some(d("100")));
        assert_eq!(parse_percent("-1%"), None);
        assert_eq!(parse_count("32"), Some(32));
        assert_eq!(parse_count("3.5"), None);
        assert_eq!(parse_count("-1"), None);
    }

    #[test]
    fn rate_is_rounded_to_a_hundredth_of_a_percent() {
        assert_eq!(rate_percent(d("1842.41"), d("463.79")), Some(d("397.25")));
        assert_eq!(rate_percent(d("1842.41"), d("1842.41")), Some(d("100.00")));
        assert_eq!(rate_percent(d("1"), d("3")), Some(d("33.33")));
        assert_eq!(rate_percent(d("2"), d("3")), Some(d("66.67")));
        assert_eq!(rate_percent(d("1"), d("0")), None);
        assert_eq!(
            rate_percent(d("79228162514264337593543950335"), d("1")),
            None
        );
    }

    #[test]
    fn money_prints_with_two_decimals_rounding_half_away() {
        assert_eq!(format_money(d("150")), "150.00");
        assert_eq!(format_money(d("0.005")), "0.01");
        assert_eq!(format_money(d("0.004999")), "0.00");
        assert_eq!(format_percent(d("397.2505")), "397.25%");
    }
}
