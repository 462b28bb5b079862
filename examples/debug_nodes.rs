//! Prints, for a bundled program and input, each node's RASP value and its
//! value decoded from the residual stream once computed.

use tracr_tui::compiler::CompileOptions;
use tracr_tui::input::parse_input;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::{library, load_program};
use tracr_tui::session::Session;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(name), Some(input)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: debug_nodes PROGRAM \"INPUT\" [compat]");
        std::process::exit(2);
    };
    let compat = args.get(3).is_some_and(|a| a == "compat");
    let Some(bundled) = library::find(name) else {
        eprintln!("no bundled program `{name}`");
        std::process::exit(2);
    };
    let program = match load_program(&bundled.source(), &Overrides::default()) {
        Ok(program) => program,
        Err(errors) => {
            eprintln!("{errors:?}");
            std::process::exit(1);
        }
    };
    let tokens = match parse_input(input, &program.settings) {
        Ok(tokens) => tokens,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    let session = match Session::new(
        program,
        CompileOptions {
            tracr_compat: compat,
        },
        tokens,
    ) {
        Ok(session) => session,
        Err(error) => {
            eprintln!("{error:?}");
            std::process::exit(1);
        }
    };
    let last = session.trace.residuals.len() - 1;
    for (id, node) in session.program.nodes.iter().enumerate() {
        let Some(rasp) = session.rasp[id].as_sop() else {
            continue;
        };
        let step = session.ready_step(id).unwrap_or(last);
        let decoded = session.decode_node(id, step);
        let rasp: Vec<String> = rasp.iter().map(ToString::to_string).collect();
        let decoded: Vec<String> = decoded[1..].iter().map(ToString::to_string).collect();
        println!(
            "{:<20} step {step:>2}  rasp [{}]  model [{}]",
            node.label,
            rasp.join(", "),
            decoded.join(", ")
        );
    }
}
