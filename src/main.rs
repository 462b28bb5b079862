use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use tracr_tui::compiler::CompileOptions;
use tracr_tui::diagnostic::render_all;
use tracr_tui::input::{parse_input, parse_vocab};
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::library;
use tracr_tui::rasp::load_program;
use tracr_tui::report::{json_report, text_report};
use tracr_tui::session::{Session, SessionError};
use tracr_tui::source::SourceFile;
use tracr_tui::tui::app::App;

mod cli;

/// Exit code for a program with errors.
const EXIT_PROGRAM_ERROR: u8 = 1;
/// Exit code for a bad command line or input, as clap uses for usage errors.
const EXIT_USAGE_ERROR: u8 = 2;
/// Exit code when the terminal cannot be driven.
const EXIT_TERMINAL_ERROR: u8 = 3;

fn main() -> ExitCode {
    // color-eyre's hook prints panic reports; the debugger's hook, installed
    // after it when the debugger starts, restores the terminal first.
    if let Err(error) = color_eyre::install() {
        eprintln!("warning: cannot install the panic report hook: {error}");
    }
    let cli = cli::Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { message, code }) => {
            eprint!("{message}");
            if !message.ends_with('\n') {
                eprintln!();
            }
            ExitCode::from(code)
        }
    }
}

struct Failure {
    message: String,
    code: u8,
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        message: format!("error: {}", message.into()),
        code: EXIT_USAGE_ERROR,
    }
}

fn run(cli: &cli::Cli) -> Result<(), Failure> {
    if cli.list {
        print_list();
        return Ok(());
    }
    let overrides = Overrides {
        vocab: cli
            .vocab
            .as_deref()
            .map(parse_vocab)
            .transpose()
            .map_err(usage)?,
        max_seq_len: cli.max_seq_len.map(|n| n as usize),
        causal: cli.causal.then_some(true),
        mlp_exactness: cli.mlp_exactness,
        ..Overrides::default()
    };
    let options = CompileOptions {
        tracr_compat: cli.tracr_compat,
    };
    let Some(program_arg) = &cli.program else {
        if cli.json || cli.print {
            return Err(usage(
                "missing PROGRAM: give a .rasp file or a bundled program name; `tracr-tui --list` shows them",
            ));
        }
        if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
            return Err(usage(
                "missing PROGRAM: the program picker needs a terminal; give a .rasp file or a bundled program name, or see `tracr-tui --list`",
            ));
        }
        return run_tui(App::with_picker(overrides, options));
    };
    let (file, example) = open_program(program_arg)?;

    let program = load_program(&file, &overrides).map_err(|diagnostics| Failure {
        message: render_all(&diagnostics, &file),
        code: EXIT_PROGRAM_ERROR,
    })?;
    let settings = &program.settings;
    if let Some(special) = [&settings.compiler_bos, &settings.compiler_pad]
        .into_iter()
        .find(|special| {
            cli.vocab.is_some()
                && settings
                    .vocab
                    .iter()
                    .any(|token| token.to_string() == **special)
        })
    {
        return Err(usage(format!(
            "invalid --vocab: `{special}` names the BOS or PAD token; choose other tokens"
        )));
    }

    let input_text = match (&cli.input, example) {
        (Some(text), _) => text.clone(),
        (None, Some(example)) => example,
        (None, None) => {
            return Err(usage(format!(
                "missing --input: `{}` has no `# Example:` line, so give the tokens, as in --input \"{} ...\"",
                file.name(),
                program.settings.compiler_bos
            )));
        }
    };
    let input = parse_input(&input_text, &program.settings).map_err(usage)?;

    let session = Session::new(program, options, input).map_err(|error| match error {
        SessionError::Compile(diagnostics) => Failure {
            message: render_all(&diagnostics, &file),
            code: EXIT_PROGRAM_ERROR,
        },
        SessionError::Input(message) => usage(message),
    })?;
    if !session.compiled.warnings.is_empty() {
        eprint!("{}", render_all(&session.compiled.warnings, &file));
    }

    let text = if cli.json {
        let report = json_report(&session);
        format!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        )
    } else if cli.print {
        text_report(&session)
    } else if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        // The debugger needs a terminal; piped or redirected, print instead.
        eprintln!(
            "note: not a terminal, so printing the report (--print) instead of opening the debugger"
        );
        text_report(&session)
    } else {
        return run_tui(App::with_session(session, overrides, options));
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe, as in `tracr-tui sort | head -1`, is not an error.
    let _ = stdout.write_all(text.as_bytes());
    Ok(())
}

/// Opens a program by path or by bundled name. Returns its source and the
/// input of its `# Example:` line, if it has one.
fn open_program(arg: &str) -> Result<(SourceFile, Option<String>), Failure> {
    let path = std::path::Path::new(arg);
    if path.is_file() {
        let bytes =
            std::fs::read(path).map_err(|error| usage(format!("cannot read `{arg}`: {error}")))?;
        let text = String::from_utf8(bytes).map_err(|error| {
            usage(format!(
                "cannot read `{arg}`: invalid UTF-8 at byte {}",
                error.utf8_error().valid_up_to()
            ))
        })?;
        // Editors on some systems start UTF-8 files with a byte order mark.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let example = library::example_in(&text).map(|(input, _)| input.to_string());
        return Ok((SourceFile::new(arg, text), example));
    }
    if let Some(program) = library::find(arg) {
        let example = program.example().map(|(input, _)| input.to_string());
        return Ok((program.source(), example));
    }
    if path.exists() {
        return Err(usage(format!("`{arg}` is not a file")));
    }
    Err(usage(format!(
        "no file `{arg}` and no bundled program of that name; `tracr-tui --list` shows the bundled programs"
    )))
}

fn run_tui(app: App) -> Result<(), Failure> {
    tracr_tui::tui::run(app).map_err(|error| Failure {
        message: format!("error: the terminal failed: {error}"),
        code: EXIT_TERMINAL_ERROR,
    })
}

fn print_list() {
    let width = library::PROGRAMS
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for program in library::PROGRAMS {
        out.push_str(&format!(
            "{:<width$}  {}\n",
            program.name,
            program.description()
        ));
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
}
