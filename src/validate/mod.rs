//! Validate: the rules of spec `forms.md` §5 over a parsed [`Declaration`].
//!
//! One file per family of rules. Each rule reads the typed declaration (never the YAML text) and
//! pushes located [`Diagnostic`]s; parse-stage problems (`yaml.*`, `amount.format`) were reported
//! by the parser and the fields they concern are [`Entry::Invalid`], which every rule skips so a
//! single slip is never reported twice. All arithmetic is exact [`Decimal`] arithmetic with
//! checked operations: an absurd amount (28 digits) makes a rule step aside, never panic.

mod budget;
mod fields;
mod funds;
mod glyph;
mod indicators;
mod last_year;
pub(crate) mod limits;
mod placeholder;
mod rounding;
mod staff;
mod unit;

use rust_decimal::Decimal;

use crate::declaration::{Declaration, Entry, Loc};
use crate::diagnostic::{Code, Diagnostic};

/// Which characters the fonts of this run can draw (for `text.glyph`).
pub trait GlyphCoverage {
    /// Whether some font of this run has a glyph for `c`.
    fn covers(&self, c: char) -> bool;
}

/// Coverage that accepts every character: `text.glyph` never fires. Used until the bundled fonts
/// are wired in, and by callers that only care about the form's content.
#[derive(Debug, Clone, Copy, Default)]
pub struct AllGlyphs;

impl GlyphCoverage for AllGlyphs {
    fn covers(&self, _c: char) -> bool {
        true
    }
}

/// Every rule, over one declaration. Parse-stage diagnostics are not repeated here.
pub fn validate(decl: &Declaration, glyphs: &dyn GlyphCoverage) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Declaration::SelfEval(form) = decl {
        out.extend(crate::selfeval::rules::check(form));
        glyph::text_glyph(decl, glyphs, &mut out);
        limits::check(decl, &mut out);
        if form.target.is_none() {
            indicators::check(decl, &mut out);
        }
        return out;
    }
    fields::required(decl, &mut out);
    placeholder::field_placeholder(decl, &mut out);
    rounding::amounts(decl, &mut out);
    unit::check(decl, &mut out);
    match decl {
        Declaration::Project(p) => {
            funds::sum(p, &mut out);
            // Each further project on the sheet is a project of its own: every rule, at its lines.
            for further in &p.projects {
                out.extend(validate(&Declaration::Project(further.clone()), glyphs));
            }
        }
        Declaration::Department(d) => {
            budget::check(d, &mut out);
            last_year::check(d, &mut out);
            staff::check(d, &mut out);
        }
        Declaration::SelfEval(_) => {}
    }
    indicators::check(decl, &mut out);
    if let Declaration::Project(p) = decl {
        indicators::check_midterm(&p.midterm_indicators, &mut out);
    }
    glyph::text_glyph(decl, glyphs, &mut out);
    limits::check(decl, &mut out);
    out
}

/// Shows an amount the way the form prints it (2 decimals), keeping any further decimals the user
/// wrote so that a message never shows two different amounts as the same text.
pub(crate) fn show(value: Decimal) -> String {
    let mut v = value.normalize();
    if v.scale() < 2 {
        v.rescale(2);
    }
    v.to_string()
}

/// Shows a head count (whole people).
fn show_count(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Σ of the values, `None` on overflow (then report [`out_of_range`], never skip in silence).
fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// `amount.range`: a sum too large to compute exactly, so the rule `what` cannot be checked.
/// Amounts themselves are bounded so that their sums always fit; numbers inside 指标值 are not.
fn out_of_range(loc: Loc, what: &str) -> Diagnostic {
    Diagnostic::error(
        Code::AmountRange,
        loc,
        format!(
            "{what}：数值之和超出可精确计算的范围（约 7.9×10²⁸），无法核对；请检查是否多写了数字"
        ),
        format!(
            "{what}: the numbers add up beyond the range that can be computed exactly (about 7.9×10²⁸), so this cannot be checked; look for extra digits"
        ),
    )
}

/// One addend or total of a sum rule: its label on the form (the same in both languages, as the
/// form prints it) and its entry.
struct Term<'a> {
    label: &'a str,
    entry: Entry<Decimal>,
    /// Where the field was written empty, when it was (see [`crate::declaration::Blanks`]).
    blank_at: Option<Loc>,
}

impl<'a> Term<'a> {
    fn new(label: &'a str, entry: Entry<Decimal>) -> Self {
        Term {
            label,
            entry,
            blank_at: None,
        }
    }

    /// The same term, pointing at `loc` when it is blank.
    fn blank_at(mut self, loc: Option<Loc>) -> Self {
        self.blank_at = loc;
        self
    }
}

/// What a "total = parts" rule reports, and with which codes.
struct SumRule<'a> {
    /// Code when the parts do not add up (an error).
    code: Code,
    total: Term<'a>,
    parts: Vec<Term<'a>>,
    /// Where blank parts point when their key was left out (their block).
    block: Loc,
    /// How a number is shown (money or head counts).
    fmt: fn(Decimal) -> String,
}

impl SumRule<'_> {
    /// Checks `total = Σ parts`, reading a blank part as 0 for the sum.
    ///
    /// - all parts given and the sum differs → `code` (error) at the total;
    /// - some parts blank and the given ones already exceed the total → `code` (no non-negative
    ///   value could balance it);
    /// - some parts blank and the given ones fall short → `budget.part-missing` (warning) at the
    ///   first blank part (its empty value, or its block when the key was left out), with the
    ///   value that would balance it;
    /// - the total blank, every part blank, or any field unreadable → nothing to compare.
    fn check(&self, out: &mut Vec<Diagnostic>) {
        let Entry::Given(total) = &self.total.entry else {
            return;
        };
        if self.parts.iter().any(|p| p.entry.is_invalid())
            || self.parts.iter().all(|p| p.entry.is_blank())
        {
            return;
        }
        let Some(sum) = checked_sum(self.parts.iter().filter_map(|p| p.entry.value())) else {
            out.push(out_of_range(total.loc, self.total.label));
            return;
        };
        let total_value = total.value;
        let fmt = self.fmt;
        let blanks: Vec<&Term> = self.parts.iter().filter(|p| p.entry.is_blank()).collect();
        if sum == total_value && blanks.len() < self.parts.len() {
            return;
        }
        if blanks.is_empty() || sum > total_value {
            let addends: Vec<String> = self
                .parts
                .iter()
                .map(|p| {
                    format!(
                        "{} {}",
                        p.label,
                        fmt(p.entry.value().unwrap_or(Decimal::ZERO))
                    )
                })
                .collect();
            let equation = format!(
                "{} {} ≠ {} = {}",
                self.total.label,
                fmt(total_value),
                addends.join(" + "),
                fmt(sum)
            );
            out.push(Diagnostic::error(
                self.code,
                total.loc,
                format!("合计与分项不符：{equation}"),
                format!("the parts do not add up to the total: {equation}"),
            ));
            return;
        }
        // sum < total with blank parts: say what would balance.
        let Some(missing) = total_value.checked_sub(sum) else {
            return;
        };
        let given: Vec<String> = self
            .parts
            .iter()
            .filter_map(|p| {
                p.entry
                    .value()
                    .map(|v| format!(" − {} {}", p.label, fmt(v)))
            })
            .collect();
        let reckoning = format!(
            "{} {}{}",
            self.total.label,
            fmt(total_value),
            given.concat()
        );
        let names: Vec<&str> = blanks.iter().map(|b| b.label).collect();
        let (zh, en) = if blanks.len() == 1 {
            (
                format!("{} 为空：按 {reckoning}，应为 {}", names[0], fmt(missing)),
                format!(
                    "{} is blank: {} would balance {reckoning}",
                    names[0],
                    fmt(missing)
                ),
            )
        } else {
            (
                format!(
                    "{} 为空：按 {reckoning}，合计应为 {}",
                    names.join("、"),
                    fmt(missing)
                ),
                format!(
                    "{} are blank: together {} would balance {reckoning}",
                    names.join(", "),
                    fmt(missing)
                ),
            )
        };
        let loc = blanks[0].blank_at.unwrap_or(self.block);
        out.push(Diagnostic::warning(Code::BudgetPartMissing, loc, zh, en));
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Helpers shared by the rules' unit tests: parse a YAML snippet and validate it.

    use super::*;
    use crate::declaration::parse;

    /// Parses `yaml` (it must parse) and returns the validator's diagnostics.
    pub fn diags(yaml: &str) -> Vec<Diagnostic> {
        let out = parse(yaml);
        let decl = out
            .declaration
            .unwrap_or_else(|| panic!("does not parse: {:?}", out.diagnostics));
        assert!(
            out.diagnostics.iter().all(|d| !d.is_error()),
            "parse errors: {:?}",
            out.diagnostics
        );
        validate(&decl, &AllGlyphs)
    }

    /// The diagnostics of one code.
    pub fn with_code(yaml: &str, code: Code) -> Vec<Diagnostic> {
        diags(yaml).into_iter().filter(|d| d.code == code).collect()
    }

    /// A minimal valid department form with the given extra blocks (no indicators problems).
    pub fn department(extra: &str) -> String {
        format!("form: department\nyear: 2023\nname: 测试局\n{extra}\n{INDICATORS}")
    }

    /// A minimal valid project form with the given extra blocks.
    pub fn project(extra: &str) -> String {
        format!("form: project\nyear: 2023\nname: 测试项目\ngoal: 目标\n{extra}\n{INDICATORS}")
    }

    /// Indicators with 产出, 效益 and 满意度, all canonical.
    pub const INDICATORS: &str = "indicators:\n  产出指标:\n    数量指标:\n      - 家数: ≥10家\n  效益指标:\n    社会效益指标:\n      - 营商环境: 良好\n  满意度指标:\n    服务对象满意度指标:\n      - 满意度: ≥95%\n";
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn show_keeps_two_decimals_and_any_further_ones() {
        assert_eq!(show("150".parse().unwrap()), "150.00");
        assert_eq!(show("1203.780".parse().unwrap()), "1203.78");
        assert_eq!(show("1203.785".parse().unwrap()), "1203.785");
        assert_eq!(show("0".parse().unwrap()), "0.00");
    }

    #[test]
    fn the_seed_examples_have_no_error() {
        for f in [
            "chaisang-2023-project.yaml",
            "chaisang-2023-department.yaml",
        ] {
            let text = std::fs::read_to_string(format!("{}/data/{f}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
            let errors: Vec<_> = diags(&text)
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            assert!(errors.is_empty(), "{f}: {errors:?}");
        }
    }

    #[test]
    fn a_sum_that_overflows_is_an_error_not_a_skip() {
        // Two cost targets at Decimal's largest value: their sum does not fit.
        let max = "79228162514264337593543950335";
        let text = format!(
            "form: project\nyear: 2023\nname: 测试项目\ngoal: 目标\nfunds:\n  total: 1\n{}",
            INDICATORS.replace("      - 家数: ≥10家\n", &format!("      - 家数: ≥10家\n    成本指标:\n      - a: {max}万元\n      - b: {max}万元\n"))
        );
        let got = with_code(&text, Code::AmountRange);
        assert_eq!(got.len(), 1, "{:?}", diags(&text));
        assert!(
            got[0].is_error() && got[0].en.contains("cannot be checked"),
            "{:?}",
            got[0]
        );
    }

    #[test]
    fn a_minimal_form_is_clean() {
        assert_eq!(diags(&department("")), vec![]);
        assert_eq!(diags(&project("funds:\n  total: 1\n")), vec![]);
    }
}
