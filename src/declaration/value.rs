//! 指标值: how an indicator's target is written (spec `forms.md` §4).
//!
//! `[comparator] number [unit]`, `[comparator] text`, or plain text. Comparators typed in any of
//! their usual spellings (`>=`, `≧`, `＞` …) are normalised to `≥ ≤ = > <`.

use rust_decimal::Decimal;
use serde::Serialize;

use super::amount::parse_decimal;

/// 指标性质 as a comparator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Comparator {
    Ge,
    Le,
    Eq,
    Gt,
    Lt,
}

impl Comparator {
    /// The printed symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Ge => "≥",
            Comparator::Le => "≤",
            Comparator::Eq => "=",
            Comparator::Gt => ">",
            Comparator::Lt => "<",
        }
    }

    /// Every spelling accepted for a comparator, longest first so `>=` wins over `>`.
    const SPELLINGS: &'static [(&'static str, Comparator)] = &[
        (">=", Comparator::Ge),
        ("＞＝", Comparator::Ge),
        ("<=", Comparator::Le),
        ("＜＝", Comparator::Le),
        ("==", Comparator::Eq),
        ("≥", Comparator::Ge),
        ("≧", Comparator::Ge),
        ("⩾", Comparator::Ge),
        ("≤", Comparator::Le),
        ("≦", Comparator::Le),
        ("⩽", Comparator::Le),
        ("=", Comparator::Eq),
        ("＝", Comparator::Eq),
        (">", Comparator::Gt),
        ("＞", Comparator::Gt),
        ("<", Comparator::Lt),
        ("＜", Comparator::Lt),
    ];

    /// Splits a leading comparator off `text`, in any accepted spelling.
    pub fn strip(text: &str) -> Option<(Comparator, &str)> {
        Self::SPELLINGS
            .iter()
            .find_map(|(s, c)| text.strip_prefix(s).map(|rest| (*c, rest)))
    }

    /// Parses a comparator given on its own (the `op:` key); also accepts `定性` as "none".
    pub fn parse(text: &str) -> Option<Comparator> {
        match Self::strip(text.trim()) {
            Some((c, "")) => Some(c),
            _ => None,
        }
    }
}

/// The measurable part of a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Quantity {
    /// A number with whatever unit follows it (`7500` `家`, `95` `%`, `903.78` `万元`).
    Number { value: Decimal, unit: String },
    /// A qualitative target (`良好`, `全年`, `各1枚`).
    Text(String),
}

/// A parsed 指标值, keeping what was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorValue {
    /// The text exactly as the user wrote it (trimmed).
    pub written: String,
    pub comparator: Option<Comparator>,
    pub quantity: Quantity,
}

impl IndicatorValue {
    /// Parses a combined value such as `≥7500家`, `≧36次`, `良好`, `1,200万元`.
    pub fn parse(written: &str) -> IndicatorValue {
        let written = written.trim();
        let (comparator, rest) = match Comparator::strip(written) {
            Some((c, rest)) => (Some(c), rest.trim_start()),
            None => (None, written),
        };
        IndicatorValue {
            written: written.to_string(),
            comparator,
            quantity: parse_quantity(rest),
        }
    }

    /// Builds a value from parts given apart (`op`, `value`, `unit`), as integrated budget
    /// systems keep them. A comparator inside `value` is kept when `op` is not given.
    pub fn from_parts(op: Option<Comparator>, value: &str, unit: Option<&str>) -> IndicatorValue {
        let mut parsed = IndicatorValue::parse(value);
        if op.is_some() {
            parsed.comparator = op;
        }
        if let Some(unit) = unit.map(str::trim).filter(|u| !u.is_empty()) {
            match &mut parsed.quantity {
                Quantity::Number { unit: u, .. } if u.is_empty() => *u = unit.to_string(),
                Quantity::Number { .. } => {}
                Quantity::Text(t) => {
                    // `value: 95, unit: %` where 95 was not parsed as a number cannot happen;
                    // a text value with a unit is kept as text followed by the unit.
                    t.push_str(unit);
                }
            }
        }
        parsed.written = parsed.display();
        parsed
    }

    /// The text to print: the normalised comparator followed by the rest as written.
    pub fn display(&self) -> String {
        let mut out = String::new();
        if let Some(c) = self.comparator {
            out.push_str(c.symbol());
        }
        match &self.quantity {
            Quantity::Number { value, unit } => {
                out.push_str(&value.to_string());
                // A unit that starts like a number (`5 6`, `5 .5`) would run into it when
                // printed and read back as another number (found by fuzzing): keep them apart.
                if unit.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
                    out.push(' ');
                }
                out.push_str(unit);
            }
            Quantity::Text(t) => {
                // A text that starts with a comparator of its own (`> =5`) would merge with the
                // one before it into another comparator (`>=5`, read back as ≥5): keep the gap.
                if self.comparator.is_some() && Comparator::strip(t).is_some() {
                    out.push(' ');
                }
                out.push_str(t);
            }
        }
        out
    }

    /// 指标性质 as the bureau's systems name it: the comparator, or 定性 for a text target.
    pub fn nature(&self) -> &'static str {
        match (&self.quantity, self.comparator) {
            (Quantity::Text(_), None) => "定性",
            (_, Some(c)) => c.symbol(),
            (Quantity::Number { .. }, None) => "=",
        }
    }

    /// The number, when the target has one.
    pub fn number(&self) -> Option<Decimal> {
        match &self.quantity {
            Quantity::Number { value, .. } => Some(*value),
            Quantity::Text(_) => None,
        }
    }

    /// The unit (度量单位), when the target is a number.
    pub fn unit(&self) -> Option<&str> {
        match &self.quantity {
            Quantity::Number { unit, .. } => Some(unit.as_str()),
            Quantity::Text(_) => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(&self.quantity, Quantity::Text(t) if t.is_empty()) && self.comparator.is_none()
    }
}

/// `7500家` → number 7500, unit 家; `各1枚` → text; `95 %` → 95, `%`.
fn parse_quantity(text: &str) -> Quantity {
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(text.len(), |(i, _)| i);
    let (number, unit) = text.split_at(end);
    match parse_decimal(number) {
        Some(value) if !number.is_empty() => Quantity::Number {
            value,
            unit: unit.trim().to_string(),
        },
        _ => Quantity::Text(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn comparator_number_unit() {
        let v = IndicatorValue::parse("≥7500家");
        assert_eq!(v.comparator, Some(Comparator::Ge));
        assert_eq!(
            v.quantity,
            Quantity::Number {
                value: num("7500"),
                unit: "家".into()
            }
        );
        assert_eq!(v.display(), "≥7500家");
        assert_eq!(v.nature(), "≥");
    }

    #[test]
    fn every_spelling_of_a_comparator_normalises() {
        for (typed, printed) in [
            (">=36次", "≥36次"),
            ("≧36次", "≥36次"),
            ("＞＝36次", "≥36次"),
            ("<=300万元", "≤300万元"),
            ("≦300万元", "≤300万元"),
            ("==4枚", "=4枚"),
            ("＝4枚", "=4枚"),
            ("＞1", ">1"),
            ("＜1", "<1"),
            ("≤半小时", "≤半小时"),
        ] {
            assert_eq!(IndicatorValue::parse(typed).display(), printed, "{typed}");
        }
    }

    #[test]
    fn grouped_and_decimal_numbers() {
        let v = IndicatorValue::parse("≤903.78万元");
        assert_eq!(v.number(), Some(num("903.78")));
        assert_eq!(v.unit(), Some("万元"));
        assert_eq!(
            IndicatorValue::parse("1,200万元").number(),
            Some(num("1200"))
        );
        assert_eq!(IndicatorValue::parse("95%").unit(), Some("%"));
        assert_eq!(IndicatorValue::parse("0").number(), Some(num("0")));
    }

    #[test]
    fn text_targets_are_legitimate() {
        for t in [
            "良好",
            "全年",
            "不定期",
            "各1枚",
            "巩固提高",
            "参照政府采购成本控制",
        ] {
            let v = IndicatorValue::parse(t);
            assert_eq!(v.quantity, Quantity::Text(t.into()), "{t}");
            assert_eq!(v.nature(), "定性");
            assert_eq!(v.display(), t);
        }
        assert!(IndicatorValue::parse("  ").is_empty());
    }

    #[test]
    fn parts_given_apart() {
        let v = IndicatorValue::from_parts(Some(Comparator::Ge), "95", Some("%"));
        assert_eq!(v.display(), "≥95%");
        assert_eq!(v.unit(), Some("%"));
        assert_eq!(Comparator::parse(">="), Some(Comparator::Ge));
        assert_eq!(Comparator::parse("≥x"), None);
    }
}
