//! The `jixiao` command line: a thin layer over [`jixiao::app`].

use std::path::PathBuf;
use std::process::ExitCode;

use anstream::ColorChoice;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use jixiao::app::{self, CheckOptions, OutputFormat, Outputs, RenderOptions};
use jixiao::diagnostic::Lang;
use jixiao::messages::{self, Msg};
use jixiao::terminal::Verbosity;

// Typst allocates and frees many small objects per document; with glibc's allocator malloc and
// free took about a tenth of a batch's CPU time (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 绩效目标申报表 from YAML declarations: check them, print them to PDF and XLSX.
#[derive(Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour: `auto` (on a terminal, unless NO_COLOR is set), `always` or `never`.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    color: ColorArg,
    /// Print errors only: no warnings, progress or summaries.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: the time each file took, every file written.
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Validate declarations and report every problem with its file, line and column.
    Check {
        /// Declaration files, or folders searched for *.yaml and *.yml (`-`: standard input).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// `human` (like a compiler), `json` (an array of diagnostics on stdout) or `xlsx` (a
        /// workbook of the diagnostics, written to -o FILE.xlsx).
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// With --format xlsx: the workbook to write.
        #[arg(
            short = 'o',
            long = "out",
            value_name = "FILE.xlsx",
            required_if_eq("format", "xlsx")
        )]
        out: Option<PathBuf>,
        /// Language of the messages (default: JIXIAO_LANG, then LANG; else zh).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// The name standard input (`-`) goes by in messages and output names.
        #[arg(long = "stdin-name", value_name = "NAME")]
        stdin_name: Option<String>,
        /// Add the fonts in DIR for this run.
        #[arg(long = "font-dir", value_name = "DIR")]
        font_dirs: Vec<PathBuf>,
        /// Lay every file out with this layout (a built-in id, or a definition file).
        #[arg(long, value_name = "ID|FILE")]
        layout: Option<String>,
    },
    /// Render declarations to PDF and XLSX.
    Render {
        /// Declaration files, or folders searched for *.yaml and *.yml (`-`: standard input).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output folder (`-`: the one PDF on standard output).
        #[arg(short = 'o', long = "out", default_value = "out")]
        out_dir: PathBuf,
        /// Which files to write: `pdf`, `xlsx` or `both`.
        #[arg(long, value_enum, value_name = "WHICH", conflicts_with = "format")]
        outputs: Option<OutputsArg>,
        /// Deprecated spelling of `--outputs` (`check --format` means something else).
        #[arg(long, value_enum, hide = true)]
        format: Option<OutputsArg>,
        /// Language of the messages (default: JIXIAO_LANG, then LANG; else zh).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// The name standard input (`-`) goes by in messages and output names.
        #[arg(long = "stdin-name", value_name = "NAME")]
        stdin_name: Option<String>,
        /// Use this Typst template instead of the built-in one.
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Add the fonts in DIR for this run.
        #[arg(long = "font-dir", value_name = "DIR")]
        font_dirs: Vec<PathBuf>,
        /// Export the PDF as PDF/A (`a-2b`).
        #[arg(long = "pdf-standard", value_enum)]
        pdf_standard: Option<PdfStandardArg>,
        /// Parallel jobs (default: all cores).
        #[arg(short = 'j', long, default_value_t = 0)]
        jobs: usize,
        /// Also write one workbook with a 汇总 sheet and one sheet per form.
        #[arg(long, value_name = "FILE.xlsx")]
        workbook: Option<PathBuf>,
        /// Replace an existing --workbook file even if it is not a previous jixiao workbook.
        #[arg(long)]
        force: bool,
        /// Also write every rendered form into one PDF, in input order, a bookmark per form.
        #[arg(long, value_name = "FILE.pdf")]
        merge: Option<PathBuf>,
        /// Lay every file out with this layout (a built-in id, or a definition file).
        #[arg(long, value_name = "ID|FILE")]
        layout: Option<String>,
    },
    /// List the built-in layouts, or print one (`layouts show ID`) to copy and adapt.
    Layouts {
        #[command(subcommand)]
        action: Option<LayoutsAction>,
    },
    /// Write a starter declaration with a comment on every field.
    Init {
        /// Which form.
        #[arg(value_enum)]
        form: FormArg,
        /// Write to FILE instead of standard output.
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: Option<PathBuf>,
        /// A self-evaluation's spring declaration: list its indicators under `results`.
        #[arg(long, value_name = "FILE")]
        target: Option<PathBuf>,
        /// The starter for this layout (a built-in id or a definition file): `layout:` set, the
        /// fields it prints, not those it does not.
        #[arg(long, value_name = "ID|FILE", conflicts_with = "target")]
        layout: Option<String>,
    },
    /// Read a filled workbook (a form jixiao wrote, or a filled `template`) as a YAML
    /// declaration, with the form's labels as comments.
    Import {
        /// The workbook (*.xlsx).
        path: PathBuf,
        /// Write to FILE instead of standard output.
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: Option<PathBuf>,
        /// The layout the workbook was printed with (a built-in id, or a definition file);
        /// default: the built-in whose labels the sheet has.
        #[arg(long, value_name = "ID|FILE")]
        layout: Option<String>,
        /// Replace FILE when it exists.
        #[arg(long)]
        force: bool,
        /// Language of the messages (default: JIXIAO_LANG, then LANG; else zh).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Write a fill-in workbook of a form in its layout: labels locked, input cells shaded,
    /// input messages and data validation.
    Template {
        /// Which form.
        #[arg(value_enum)]
        form: FormArg,
        /// The workbook to write (*.xlsx).
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: PathBuf,
        /// The layout (a built-in id, or a definition file); default: chaisang-2023.
        #[arg(long, value_name = "ID|FILE")]
        layout: Option<String>,
        /// Empty indicator rows under each 二级指标.
        #[arg(long, default_value_t = 3, value_name = "N")]
        rows: usize,
        /// Empty rows of a department form's lists (年度主要任务, 年度履职目标).
        #[arg(long, default_value_t = 5, value_name = "N")]
        items: usize,
        /// Replace FILE when it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of declarations (for editors using yaml-language-server).
    Schema {
        /// The schema for this layout (a built-in id or a definition file): its forms only, and
        /// a warning in the editor on each field it does not print.
        #[arg(long, value_name = "ID|FILE")]
        layout: Option<String>,
    },
    /// Print the built-in Typst template, to copy and change (`--template`).
    TemplateSource,
    /// Check and render again each time a declaration is saved (Ctrl+C stops).
    Watch {
        /// A declaration file, or a folder searched for *.yaml and *.yml.
        path: PathBuf,
        /// Output folder.
        #[arg(short = 'o', long = "out", default_value = "out")]
        out_dir: PathBuf,
        /// Which files to write.
        #[arg(long, value_enum, default_value_t = OutputsArg::Both)]
        format: OutputsArg,
        /// Language of the messages (default: JIXIAO_LANG, then LANG; else zh).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// Use this Typst template instead of the built-in one.
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Add the fonts in DIR for this run.
        #[arg(long = "font-dir", value_name = "DIR")]
        font_dirs: Vec<PathBuf>,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// Which shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Generate realistic declarations for benchmarks and tests.
    Sample {
        /// How many declarations.
        #[arg(long, default_value_t = 10)]
        count: usize,
        /// Output folder.
        #[arg(long = "out", value_name = "DIR")]
        out: PathBuf,
        /// Seed of the generator (same seed, same files).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum LayoutsAction {
    /// Print a layout definition: a built-in id, or a file (checked first).
    Show {
        /// A built-in id (`chaisang-2023`) or a definition file.
        layout: String,
        /// Which form's definition (a built-in id has one per form).
        #[arg(long, value_enum)]
        form: Option<FormArg>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormArg {
    Project,
    Department,
    ProjectSelfeval,
    DepartmentSelfeval,
}

/// The library's form kind for a `FormArg`.
fn form_kind(form: FormArg) -> jixiao::declaration::FormKind {
    use jixiao::declaration::FormKind;
    match form {
        FormArg::Project => FormKind::Project,
        FormArg::Department => FormKind::Department,
        FormArg::ProjectSelfeval => FormKind::ProjectSelfeval,
        FormArg::DepartmentSelfeval => FormKind::DepartmentSelfeval,
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputsArg {
    Both,
    Pdf,
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum PdfStandardArg {
    #[value(name = "a-2b")]
    A2b,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

impl OutputsArg {
    fn outputs(self) -> Outputs {
        match self {
            OutputsArg::Both => Outputs::Both,
            OutputsArg::Pdf => Outputs::Pdf,
            OutputsArg::Xlsx => Outputs::Xlsx,
        }
    }
}

/// The language of messages given on the command line, or by the environment
/// ([`jixiao::messages::resolve`]); a bad `JIXIAO_LANG` is a usage error.
fn lang(flag: Option<LangArg>) -> Result<Lang, String> {
    messages::resolve(flag.map(Lang::from)).map_err(|value| {
        let lang = messages::resolve(Some(Lang::Zh)).unwrap_or_default();
        messages::error(lang, Msg::UsageBadEnvLang.text(lang, &[("value", &value)]))
    })
}

/// Replaces `-` in `paths` by the name standard input goes by (`--stdin-name`, or `<stdin>`).
fn stdin_paths(
    paths: Vec<PathBuf>,
    name: Option<String>,
    lang: Lang,
) -> Result<Vec<PathBuf>, String> {
    let dashes = paths.iter().filter(|p| p.as_os_str() == "-").count();
    let fail =
        |m: Msg, args: &[(&str, &dyn std::fmt::Display)]| messages::error(lang, m.text(lang, args));
    match (dashes, &name) {
        (0, None) => return Ok(paths),
        (0, Some(_)) => return Err(fail(Msg::StdinNameUnused, &[])),
        (1, _) => {}
        _ => return Err(fail(Msg::StdinTwice, &[])),
    }
    let name = name.unwrap_or_else(|| jixiao::pipe::DEFAULT_NAME.to_string());
    if paths
        .iter()
        .any(|p| p.as_path() == std::path::Path::new(&name))
    {
        return Err(fail(Msg::StdinNameClash, &[("name", &name)]));
    }
    let Ok(stdin) = jixiao::pipe::register(&name) else {
        return Err(fail(Msg::StdinTwice, &[]));
    };
    Ok(paths
        .into_iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                stdin.clone()
            } else {
                p
            }
        })
        .collect())
}

/// Prints a command-line mistake in the user's language (clap's own text, in English, follows
/// with the details and the usage line).
fn usage_error(e: &clap::Error) -> u8 {
    use clap::error::{ContextKind, ErrorKind};
    if !e.use_stderr() {
        // --help, --version.
        let _ = e.print();
        return app::exit::OK;
    }
    let lang = lang(flag_in_args()).unwrap_or_default();
    let arg = e
        .get(ContextKind::InvalidArg)
        .map(ToString::to_string)
        .unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand => Msg::UsageUnknownArgument,
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => Msg::UsageInvalidValue,
        ErrorKind::MissingRequiredArgument | ErrorKind::MissingSubcommand => Msg::UsageMissing,
        _ => Msg::UsageOther,
    };
    let arg = if arg.is_empty() {
        e.get(ContextKind::InvalidSubcommand)
            .map(ToString::to_string)
            .unwrap_or_default()
    } else {
        arg
    };
    eprintln!(
        "{}",
        messages::error(lang, msg.text(lang, &[("arg", &arg)]))
    );
    if lang == Lang::Zh {
        eprintln!();
    }
    let _ = e.print();
    app::exit::USAGE
}

/// `--lang` as written on the command line, for messages given before clap could read it.
fn flag_in_args() -> Option<LangArg> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().enumerate().find_map(|(i, a)| {
        let value = a.strip_prefix("--lang=").or_else(|| {
            (a == "--lang")
                .then(|| args.get(i + 1).map(String::as_str))
                .flatten()
        })?;
        LangArg::from_str(value, true).ok()
    })
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(usage_error(&e)),
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    jixiao::terminal::configure(
        match cli.color {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        },
        verbosity,
    );
    match run(cli.command) {
        Ok(status) => ExitCode::from(status),
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(app::exit::USAGE)
        }
    }
}

/// Runs one command. Err: a usage mistake found before the command started (its message).
fn run(command: Command) -> Result<u8, String> {
    Ok(match command {
        Command::Check {
            paths,
            format,
            out,
            lang: flag,
            stdin_name,
            font_dirs,
            layout,
        } => {
            let lang = lang(flag)?;
            app::check(&CheckOptions {
                paths: stdin_paths(paths, stdin_name, lang)?,
                format: match format {
                    FormatArg::Human => OutputFormat::Human,
                    FormatArg::Json => OutputFormat::Json,
                    FormatArg::Xlsx => OutputFormat::Xlsx,
                },
                lang,
                font_dirs,
                layout,
                out,
            })
        }
        Command::Render {
            paths,
            out_dir,
            outputs,
            format,
            lang: flag,
            stdin_name,
            template,
            font_dirs,
            pdf_standard,
            jobs,
            workbook,
            force,
            layout,
            merge,
        } => {
            let lang = lang(flag)?;
            let to_stdout = out_dir.as_os_str() == "-";
            if !to_stdout && stdin_name.is_none() && paths.iter().any(|p| p.as_os_str() == "-") {
                return Err(messages::error(lang, Msg::StdinNeedsName.plain(lang)));
            }
            if format.is_some() {
                eprintln!(
                    "{}",
                    messages::note(
                        lang,
                        "render --format 已改名为 --outputs，旧写法仍然可用 \
                         (render --format is now --outputs; the old spelling still works)"
                    )
                );
            }
            let opts = RenderOptions {
                paths: stdin_paths(paths, stdin_name, lang)?,
                out_dir,
                outputs: outputs.or(format).unwrap_or(OutputsArg::Both).outputs(),
                lang,
                template,
                font_dirs,
                pdf_a: pdf_standard.is_some(),
                jobs,
                workbook,
                force,
                layout,
                merge,
            };
            if to_stdout {
                jixiao::pipe::render_to_stdout(&opts)
            } else {
                app::render(&opts)
            }
        }
        Command::Watch {
            path,
            out_dir,
            format,
            lang: flag,
            template,
            font_dirs,
        } => jixiao::watch::run(&RenderOptions {
            paths: vec![path],
            out_dir,
            outputs: format.outputs(),
            lang: lang(flag)?,
            template,
            font_dirs,
            ..RenderOptions::default()
        }),
        Command::Completions { shell } => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "jixiao", &mut out);
            app::exit::OK
        }
        Command::Import {
            path,
            out,
            layout,
            force,
            lang: flag,
        } => app::import(&path, out.as_deref(), layout.as_deref(), force, lang(flag)?),
        Command::Template {
            form,
            out,
            layout,
            rows,
            items,
            force,
        } => app::template(form_kind(form), &out, layout.as_deref(), rows, items, force),
        Command::Init {
            form,
            out,
            target,
            layout,
        } => app::init(
            form_kind(form),
            out.as_deref(),
            target.as_deref(),
            layout.as_deref(),
        ),
        Command::Schema { layout } => app::schema(layout.as_deref()),
        Command::TemplateSource => app::template_source(),
        Command::Layouts { action: None } => app::layouts_list(),
        Command::Layouts {
            action: Some(LayoutsAction::Show { layout, form }),
        } => app::layouts_show(&layout, form.map(form_kind)),
        Command::Sample { count, out, seed } => app::sample(count, &out, seed),
    })
}
