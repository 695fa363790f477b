//! Exact amounts (万元), counts and percentages, read from the text the user wrote.
//!
//! YAML numbers reach us as their source text (the deserializer hands scalars over as strings),
//! so `463.79` is parsed straight into a [`Decimal`] and never passes through `f64`.

use rust_decimal::Decimal;
use std::str::FromStr;

/// At most this many decimal places in an amount (spec §5, `amount.format`).
pub const MAX_AMOUNT_SCALE: u32 = 6;

/// Amounts are below this many 万元 (10¹² 万元 = 10¹⁶ 元, far beyond any budget): a bound that
/// keeps every sum of a form's amounts inside [`Decimal`]'s range, so no rule can overflow.
pub const MAX_AMOUNT_WAN: i64 = 1_000_000_000_000;

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    NotANumber,
    Negative,
    TooPrecise { places: u32 },
    /// At least [`MAX_AMOUNT_WAN`] 万元.
    TooLarge,
}

impl AmountError {
    pub fn zh(&self, text: &str) -> String {
        match self {
            AmountError::NotANumber => format!("金额应为数字（单位万元），而不是 “{text}”"),
            AmountError::Negative => format!("金额不能为负数：{text}"),
            AmountError::TooPrecise { places } => {
                format!("金额最多 {MAX_AMOUNT_SCALE} 位小数，“{text}” 有 {places} 位")
            }
            AmountError::TooLarge => format!("金额过大：{text} 万元（上限 {MAX_AMOUNT_WAN} 万元）"),
        }
    }

    pub fn en(&self, text: &str) -> String {
        match self {
            AmountError::NotANumber => format!("an amount must be a number (in 万元), not `{text}`"),
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

/// Parses a plain decimal number: optional sign, digits with optional `,` thousands separators,
/// optional fraction. No exponents, no `inf`, no hex: what a finance form writes.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() {
        return None;
    }
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if !valid_integer_part(int_part) {
        return None;
    }
    if let Some(f) = frac_part
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut plain: String = int_part.chars().filter(|c| *c != ',').collect();
    if let Some(f) = frac_part {
        plain.push('.');
        plain.push_str(f);
    }
    let mut value = Decimal::from_str(&plain).ok()?;
    if negative {
        value.set_sign_negative(true);
    }
    Some(value)
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
pub fn parse_amount(text: &str) -> Result<Decimal, AmountError> {
    let value = parse_decimal(text).ok_or(AmountError::NotANumber)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(AmountError::Negative);
    }
    let places = value.scale();
    if places > MAX_AMOUNT_SCALE {
        return Err(AmountError::TooPrecise { places });
    }
    if value.abs() >= Decimal::from(MAX_AMOUNT_WAN) {
        return Err(AmountError::TooLarge);
    }
    Ok(value.abs())
}

/// Parses a percentage written as `397.25%`, `397.25` or `397.25 %` into the number of percent.
pub fn parse_percent(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = t.strip_suffix('%').or_else(|| t.strip_suffix('％')).unwrap_or(t);
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
        assert_eq!(parse_amount("0.1").unwrap() + parse_amount("0.2").unwrap(), d("0.3"));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for bad in ["", "abc", "1e3", "12,34", "1,2345", ".5", "5.", "1.2.3", "0x10", "inf", "NaN", "１２"] {
            assert_eq!(parse_amount(bad), Err(AmountError::NotANumber), "{bad}");
        }
        assert_eq!(parse_amount("-0.01"), Err(AmountError::Negative));
        assert_eq!(parse_amount("999999999999.999999"), Ok(d("999999999999.999999")));
        assert_eq!(parse_amount("1000000000000"), Err(AmountError::TooLarge));
        assert_eq!(parse_amount("79228162514264337593543950335"), Err(AmountError::TooLarge));
    }

    #[test]
    fn six_places_pass_seven_fail() {
        assert_eq!(parse_amount("1.123456"), Ok(d("1.123456")));
        assert_eq!(parse_amount("1.1234567"), Err(AmountError::TooPrecise { places: 7 }));
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
        assert_eq!(rate_percent(d("79228162514264337593543950335"), d("1")), None);
    }

    #[test]
    fn money_prints_with_two_decimals_rounding_half_away() {
        assert_eq!(format_money(d("150")), "150.00");
        assert_eq!(format_money(d("0.005")), "0.01");
        assert_eq!(format_money(d("0.004999")), "0.00");
        assert_eq!(format_percent(d("397.2505")), "397.25%");
    }
}
