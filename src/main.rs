//! The `jixiao` command line: a thin layer over [`jixiao::app`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jixiao::app::{self, CheckOptions, OutputFormat, Outputs, RenderOptions};
use jixiao::diagnostic::Lang;

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
}

#[derive(Subcommand)]
enum Command {
    /// Validate declarations and report every problem with its file, line and column.
    Check {
        /// Declaration files, or folders searched for *.yaml and *.yml.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// `human` (like a compiler) or `json` (an array of diagnostics on stdout).
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Language of the messages.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
        /// Add the fonts in DIR for this run.
        #[arg(long = "font-dir", value_name = "DIR")]
        font_dirs: Vec<PathBuf>,
    },
    /// Render declarations to PDF and XLSX.
    Render {
        /// Declaration files, or folders searched for *.yaml and *.yml.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output folder.
        #[arg(short = 'o', long = "out", default_value = "out")]
        out_dir: PathBuf,
        /// Which files to write.
        #[arg(long, value_enum, default_value_t = OutputsArg::Both)]
        format: OutputsArg,
        /// Language of the messages.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
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
    },
    /// Print the JSON Schema of declarations (for editors using yaml-language-server).
    Schema,
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

#[derive(Clone, Copy, ValueEnum)]
enum FormArg {
    Project,
    Department,
    ProjectSelfeval,
    DepartmentSelfeval,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { app::exit::USAGE } else { app::exit::OK });
        }
    };
    let status = match cli.command {
        Command::Check { paths, format, lang, font_dirs } => app::check(&CheckOptions {
            paths,
            format: match format {
                FormatArg::Human => OutputFormat::Human,
                FormatArg::Json => OutputFormat::Json,
            },
            lang: lang.into(),
            font_dirs,
        }),
        Command::Render {
            paths,
            out_dir,
            format,
            lang,
            template,
            font_dirs,
            pdf_standard,
            jobs,
            workbook,
        } => app::render(&RenderOptions {
            paths,
            out_dir,
            outputs: match format {
                OutputsArg::Both => Outputs::Both,
                OutputsArg::Pdf => Outputs::Pdf,
                OutputsArg::Xlsx => Outputs::Xlsx,
            },
            lang: lang.into(),
            template,
            font_dirs,
            pdf_a: pdf_standard.is_some(),
            jobs,
            workbook,
        }),
        Command::Init { form, out, target } => app::init(
            match form {
                FormArg::Project => jixiao::declaration::FormKind::Project,
                FormArg::Department => jixiao::declaration::FormKind::Department,
                FormArg::ProjectSelfeval => jixiao::declaration::FormKind::ProjectSelfeval,
                FormArg::DepartmentSelfeval => jixiao::declaration::FormKind::DepartmentSelfeval,
            },
            out.as_deref(),
            target.as_deref(),
        ),
        Command::Schema => app::schema(),
        Command::Sample { count, out, seed } => app::sample(count, &out, seed),
    };
    ExitCode::from(status)
}
