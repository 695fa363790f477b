//! Diagnostics: what the validator (and the parser before it) says about a declaration.
//!
//! A [`Diagnostic`] carries a stable [`Code`], a [`Severity`], the [`Loc`] of the YAML node it is
//! about and a message in Chinese and English. Codes are a contract: scripts match on them, so
//! they never change meaning. How diagnostics are shown to a person or a program lives in
//! [`crate::report`].

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

/// A position in a declaration file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
}

impl Loc {
    /// The start of the file, for problems that belong to the whole document.
    pub const START: Loc = Loc { line: 1, column: 1 };

    pub fn new(line: u32, column: u32) -> Self {
        Loc {
            line: line.max(1),
            column: column.max(1),
        }
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Located<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        Located { value, loc }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            loc: self.loc,
        }
    }

    pub fn as_ref(&self) -> Located<&T> {
        Located {
            value: &self.value,
            loc: self.loc,
        }
    }
}

/// Errors stop a file from being rendered; warnings are printed and the file is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $text:literal,)*) => {
        /// The stable code of every diagnostic jixiao can give (spec `forms.md` §5, plus limits).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in the order of the spec's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed and as matched by scripts, e.g. `funds.sum`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }
        }
    };
}

codes! {
    YamlSyntax => "yaml.syntax",
    YamlType => "yaml.type",
    YamlUnknownKey => "yaml.unknown-key",
    YamlDuplicateKey => "yaml.duplicate-key",
    YamlLimit => "yaml.limit",
    YamlTag => "yaml.tag",
    FieldRequired => "field.required",
    FieldPlaceholder => "field.placeholder",
    AmountFormat => "amount.format",
    AmountRounded => "amount.rounded",
    AmountRange => "amount.range",
    AmountUnit => "amount.unit",
    FundsSum => "funds.sum",
    FundsCostsSum => "funds.costs-sum",
    BudgetIncomeSum => "budget.income-sum",
    BudgetExpenseSum => "budget.expense-sum",
    BudgetPartMissing => "budget.part-missing",
    BudgetBalance => "budget.balance",
    BudgetTasksSum => "budget.tasks-sum",
    BudgetDutiesSum => "budget.duties-sum",
    LastyearRate => "lastyear.rate",
    LastyearRateHigh => "lastyear.rate-high",
    StaffSum => "staff.sum",
    StaffOverQuota => "staff.over-quota",
    IndicatorLevel1 => "indicator.level1",
    IndicatorLevel2 => "indicator.level2",
    IndicatorAlias => "indicator.alias",
    IndicatorRequired => "indicator.required",
    IndicatorEmpty => "indicator.empty",
    IndicatorDuplicate => "indicator.duplicate",
    IndicatorPercent => "indicator.percent",
    IndicatorCost => "indicator.cost",
    IndicatorWeightSum => "indicator.weight-sum",
    TextGlyph => "text.glyph",
    InputMissing => "input.missing",
    InputPermission => "input.permission",
    InputNotFile => "input.not-file",
    InputTooLarge => "input.too-large",
    InputEncoding => "input.encoding",
    InputUnreadable => "input.unreadable",
    TargetRead => "target.read",
    TargetInvalid => "target.invalid",
    TargetForm => "target.form",
    TargetCycle => "target.cycle",
    ScoreOverPoints => "score.over-points",
    ScoreMismatch => "score.mismatch",
    ScoreBand => "score.band",
    ScorePointsSum => "score.points-sum",
    ResultReasonRequired => "result.reason-required",
    ResultMissing => "result.missing",
    ResultUnknown => "result.unknown",
    ResultUnit => "result.unit",
    ExecutionSum => "execution.sum",
    ExecutionRate => "execution.rate",
    LayoutSyntax => "layout.syntax",
    LayoutUnknownKey => "layout.unknown-key",
    LayoutValue => "layout.value",
    LayoutField => "layout.field",
    LayoutSpan => "layout.span",
    LayoutUnknown => "layout.unknown",
    LayoutForm => "layout.form",
    LayoutUnprinted => "layout.unprinted",
    BundleSum => "bundle.sum",
    BundleTask => "bundle.task",
    BundleDuplicate => "bundle.duplicate",
    XlsxRead => "xlsx.read",
    XlsxLabel => "xlsx.label",
    XlsxMerge => "xlsx.merge",
    XlsxFormula => "xlsx.formula",
    XlsxType => "xlsx.type",
    XlsxUnread => "xlsx.unread",
}

impl Code {
    /// Whether the code says that a file could not be read (`input.*`).
    pub fn is_input(self) -> bool {
        self.as_str().starts_with("input.")
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The language diagnostics are printed in (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// A file other than the one being checked that a diagnostic points into (a self-evaluation's
/// target declaration): its path as the user will recognise it, and its text for the excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherFile {
    pub path: PathBuf,
    pub text: String,
}

/// One finding about one node of a declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub loc: Loc,
    /// The file `loc` is in, when it is not the file being checked.
    pub file: Option<Arc<OtherFile>>,
    /// The message in Chinese, naming the form's own labels.
    pub zh: String,
    /// The same message in English.
    pub en: String,
}

impl Diagnostic {
    pub fn error(code: Code, loc: Loc, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            loc,
            file: None,
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn warning(code: Code, loc: Loc, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Warning,
            loc,
            file: None,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The same diagnostic, located in `file` instead of the file being checked.
    pub fn in_file(mut self, file: Arc<OtherFile>) -> Self {
        self.file = Some(file);
        self
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position, then code, so output is stable (those in another file after
/// the file's own).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let key = |d: &Diagnostic| d.file.as_ref().map(|f| f.path.clone());
    diagnostics.sort_by(|a, b| (key(a), a.loc, a.code, &a.zh).cmp(&(key(b), b.loc, b.code, &b.zh)));
}

/// The lines of `text` as YAML counts them: a line ends at `\n`, `\r\n` or a lone `\r`, so the
/// line numbers the parser reports find their line in files from any system.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        // Single-character searches run on std's memchr: one fast pass even over a 10 MB file.
        let newline = s.find('\n');
        let end = newline.unwrap_or(s.len());
        let (line, next) = match s[..end].find('\r') {
            Some(i) => (
                &s[..i],
                Some(if s[i..].starts_with("\r\n") {
                    i + 2
                } else {
                    i + 1
                }),
            ),
            None => (&s[..end], newline.map(|i| i + 1)),
        };
        rest = next.map(|n| &s[n..]);
        Some(line)
    })
}
