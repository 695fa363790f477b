//! How much the program says and whether it says it in colour: `-q`/`-v`, `--color` and
//! `NO_COLOR`, the conventions cargo, ripgrep and typst-cli share.
//!
//! Both are set once by the binary ([`configure`]) and read where output is made, deep inside a
//! batch; library callers (tests) get the defaults: normal verbosity, colour only on a terminal.
//!
//! Colour is added to text that is already complete ([`paint`]) rather than built into
//! [`crate::report`], so the plain text (what tests, `--color never` and pipes see) is made by
//! one function only.

use std::sync::OnceLock;

use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};

use crate::check::Checked;
use crate::diagnostic::{Lang, Severity};

/// How much is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// `-q`: errors only (no warnings, progress or summaries).
    Quiet,
    #[default]
    Normal,
    /// `-v`: also what each file took and which files were written.
    Verbose,
}

static VERBOSITY: OnceLock<Verbosity> = OnceLock::new();

/// Sets the colour choice (`--color`; `Auto` honours `NO_COLOR`, `CLICOLOR_FORCE` and whether
/// the stream is a terminal) and the verbosity for the rest of the process.
pub fn configure(color: ColorChoice, verbosity: Verbosity) {
    color.write_global();
    let _ = VERBOSITY.set(verbosity);
}

pub fn verbosity() -> Verbosity {
    VERBOSITY.get().copied().unwrap_or_default()
}

pub fn quiet() -> bool {
    verbosity() == Verbosity::Quiet
}

pub fn verbose() -> bool {
    verbosity() == Verbosity::Verbose
}

/// Whether text written to standard output may carry colour.
pub fn stdout_colored() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != ColorChoice::Never
}

/// Whether text written to standard error may carry colour.
pub fn stderr_colored() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != ColorChoice::Never
}

/// One file's diagnostics as `check` and `render` print them: every diagnostic and the file's
/// summary, or with `-q` its errors alone; in colour when `colored` (the stream takes colour:
/// [`stdout_colored`], [`stderr_colored`]).
pub fn diagnostics(checked: &Checked, lang: Lang, colored: bool) -> String {
    let text = if quiet() {
        let path = crate::inputs::shown(&checked.path);
        let index = crate::report::LineIndex::new(&checked.text);
        checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| crate::report::located(checked, &path, &index, d, lang))
            .collect()
    } else {
        crate::report::human(checked, lang)
    };
    if colored { paint(&text) } else { text }
}

fn style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::BrightRed,
        Severity::Warning => AnsiColor::BrightYellow,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

/// Colours the output of [`crate::report::human`]: each `error[code]`/`warning[code]` and the
/// carets under its source line in the severity's colour, the gutter in blue.
pub fn paint(text: &str) -> String {
    let gutter = Style::new()
        .bold()
        .fg_color(Some(AnsiColor::BrightBlue.into()));
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut current = Severity::Error;
    for line in text.split_inclusive('\n') {
        let header = [Severity::Error, Severity::Warning]
            .into_iter()
            .find_map(|s| {
                line.find(&format!(": {}[", s.as_str()))
                    .map(|at| (s, at + 2))
            });
        if let Some((severity, start)) = header
            && let Some(len) = line[start..].find("]: ")
        {
            current = severity;
            let s = style(severity);
            let end = start + len + 1;
            out.push_str(&format!(
                "{}{s}{}{s:#}{}",
                &line[..start],
                &line[start..end],
                &line[end..]
            ));
            continue;
        }
        // A gutter line: `   |`, `34 | source`, `   |     ^^^^`.
        if let Some(bar) = line.find(" |")
            && line[..bar].trim().chars().all(|c| c.is_ascii_digit())
        {
            let (head, rest) = line.split_at(bar + 2);
            let body = rest.trim_end_matches('\n');
            let carets = !body.trim().is_empty()
                && body.trim().chars().all(|c| c == '^')
                && head.trim() == "|";
            out.push_str(&format!("{gutter}{head}{gutter:#}"));
            if carets {
                let s = style(current);
                let blank = body.len() - body.trim_start().len();
                out.push_str(&format!("{}{s}{}{s:#}", &body[..blank], &body[blank..]));
                out.push_str(&rest[body.len()..]);
            } else {
                out.push_str(rest);
            }
            continue;
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = "x.yaml:2:4: error[funds.sum]: 不符 [a]: b\n  |\n2 | b: 1\n  |    ^\nx.yaml:3:1: warning[budget.part-missing]: 空\nx.yaml：1 个错误，1 个警告\n";

    fn strip(s: &str) -> String {
        anstream::adapter::strip_str(s).to_string()
    }

    #[test]
    fn painting_adds_only_escapes() {
        let painted = paint(PLAIN);
        assert_eq!(strip(&painted), PLAIN);
        assert!(painted.contains(&format!(
            "{}error[funds.sum]{}",
            style(Severity::Error),
            style(Severity::Error).render_reset()
        )));
        assert!(painted.contains(&format!(
            "{}warning[budget.part-missing]",
            style(Severity::Warning)
        )));
        // The carets take the colour of their diagnostic; the source line itself stays plain.
        assert!(painted.contains(&format!(
            "   {}^{}",
            style(Severity::Error),
            style(Severity::Error).render_reset()
        )));
        assert!(painted.contains("b: 1\n"));
        assert!(!paint("no diagnostics here\n").contains('\u{1b}'));
    }
}
