//! The corrected model agrees with the interpreter: for every bundled
//! program, on random inputs of every length up to `max_seq_len`, the
//! decoded output equals the RASP output, `None` included.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use tracr_tui::compiler::{CompileOptions, compile};
use tracr_tui::model::forward;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::eval::evaluate_output;
use tracr_tui::rasp::library::PROGRAMS;
use tracr_tui::rasp::load_program;
use tracr_tui::report::outputs_agree;
use tracr_tui::value::Value;

/// Random inputs per program and length. With lengths up to 8 and 18
/// programs this runs about 13,000 forward passes, under two seconds in a debug
/// build on two cores.
const CASES_PER_LENGTH: u32 = 100;

#[test]
fn corrected_model_matches_interpreter() {
    for bundled in PROGRAMS {
        let program = load_program(&bundled.source(), &Overrides::default())
            .unwrap_or_else(|errors| panic!("{}: {errors:?}", bundled.name));
        let compiled = compile(&program, CompileOptions::default())
            .unwrap_or_else(|errors| panic!("{}: {errors:?}", bundled.name));
        let vocab = program.settings.vocab.clone();
        for length in 1..=program.settings.max_seq_len {
            let strategy =
                proptest::collection::vec(proptest::sample::select(vocab.clone()), length);
            let mut runner = TestRunner::new(Config {
                cases: CASES_PER_LENGTH,
                failure_persistence: None,
                ..Config::default()
            });
            let result = runner.run(&strategy, |input: Vec<Value>| {
                let trace = forward(&compiled.model, &input).map_err(TestCaseError::fail)?;
                let expected = evaluate_output(&program, &input);
                for (position, (ours, rasp)) in trace.decoded[1..].iter().zip(&expected).enumerate()
                {
                    prop_assert!(
                        outputs_agree(ours, rasp),
                        "{}: input {:?}, position {}: model {:?}, RASP {:?}",
                        bundled.name,
                        input,
                        position,
                        ours,
                        rasp
                    );
                }
                Ok(())
            });
            if let Err(error) = result {
                panic!("{error}");
            }
        }
    }
}
