//! The debugger's state under actions, without a terminal: stepping,
//! focus, jumping to a node, filtering, delta mode and input editing.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use tracr_tui::compiler::CompileOptions;
use tracr_tui::rasp::check::Overrides;
use tracr_tui::rasp::library;
use tracr_tui::tui::action::Action;
use tracr_tui::tui::app::{App, Debugger, Pane, Screen, open_bundled};
use tracr_tui::tui::keymap::{action_for, text_action};
use tracr_tui::tui::rows::RowKind;

fn app_for(name: &str) -> App {
    let program = library::find(name).expect("bundled program");
    let session = open_bundled(program, &Overrides::default(), CompileOptions::default())
        .expect("program opens");
    App::with_session(session, Overrides::default(), CompileOptions::default())
}

fn debugger(app: &App) -> &Debugger {
    match &app.screen {
        Screen::Debugger(debugger) => debugger,
        Screen::Picker(_) => panic!("expected the debugger"),
    }
}

#[test]
fn stepping_stays_in_bounds() {
    let mut app = app_for("sort");
    app.update(Action::PrevStep);
    assert_eq!(debugger(&app).step, 0);
    app.update(Action::NextStep);
    assert_eq!(debugger(&app).step, 1);
    app.update(Action::LastStep);
    let last = debugger(&app).last_step();
    assert_eq!(debugger(&app).step, last);
    app.update(Action::NextStep);
    assert_eq!(debugger(&app).step, last);
    app.update(Action::FirstStep);
    assert_eq!(debugger(&app).step, 0);
}

#[test]
fn stepping_selects_computed_node() {
    let mut app = app_for("sort");
    app.update(Action::NextStep);
    app.update(Action::NextStep);
    let state = debugger(&app);
    let sort_key = state.session.program.find("sort_key").expect("sort_key");
    assert_eq!(
        state.selected_node, sort_key,
        "layer 0 mlp computes sort_key"
    );
}

#[test]
fn focus_cycles_through_panes() {
    let mut app = app_for("sort");
    assert_eq!(debugger(&app).focus, Pane::Graph);
    app.update(Action::FocusNext);
    assert_eq!(debugger(&app).focus, Pane::Residual);
    app.update(Action::FocusNext);
    assert_eq!(debugger(&app).focus, Pane::Attention);
    app.update(Action::FocusNext);
    assert_eq!(debugger(&app).focus, Pane::Graph);
    app.update(Action::FocusPrev);
    assert_eq!(debugger(&app).focus, Pane::Attention);
}

#[test]
fn enter_jumps_to_node_sublayer() {
    let mut app = app_for("sort");
    // The output node is selected first; sort is an aggregate in layer 2.
    app.update(Action::Select);
    let state = debugger(&app);
    let sort = state.session.program.find("sort").expect("sort");
    let sublayer = state.session.compiled.sublayer[sort].expect("sort has a sublayer");
    assert_eq!(state.step, sublayer + 1);
    assert_eq!(state.selected_node, sort);
    assert_eq!(state.session.trace.heads[sublayer][state.head].node, sort);
}

#[test]
fn enter_on_input_reports_error() {
    let mut app = app_for("sort");
    for _ in 0..20 {
        app.update(Action::Up);
    }
    assert_eq!(
        debugger(&app).session.program.nodes[debugger(&app).selected_node].label,
        "tokens"
    );
    app.update(Action::Select);
    assert_eq!(debugger(&app).step, 0);
    assert!(
        debugger(&app)
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no block"))
    );
}

#[test]
fn filter_keeps_matching_rows() {
    let mut app = app_for("sort");
    app.update(Action::StartFilter);
    for c in "target".chars() {
        app.update(Action::Type(c));
    }
    app.update(Action::Submit);
    let state = debugger(&app);
    assert_eq!(state.filter, "target");
    let rows = state.rows();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|row| row.label.contains("target")),
        "{rows:?}"
    );
}

#[test]
fn filter_cancel_keeps_typed_text_out() {
    let mut app = app_for("sort");
    app.update(Action::StartFilter);
    app.update(Action::Type('q'));
    // While typing, `q` is text, not quit.
    assert!(!app.quit);
    app.update(Action::Cancel);
    assert!(debugger(&app).editing.is_none());
}

#[test]
fn delta_shows_sublayer_writes() {
    let mut app = app_for("sort");
    app.update(Action::NextStep);
    app.update(Action::NextStep);
    app.update(Action::ToggleDelta);
    let state = debugger(&app);
    assert!(state.delta);
    // Layer 0's MLP writes sort_key and nothing else.
    let written: Vec<String> = state
        .rows()
        .into_iter()
        .filter(|row| row.kind == RowKind::Direction && row.cells.iter().any(|cell| !cell.zero))
        .map(|row| row.label)
        .collect();
    assert!(!written.is_empty());
    assert!(
        written.iter().all(|label| label.starts_with("sort_key:")),
        "{written:?}"
    );
}

#[test]
fn zero_rows_hide() {
    let mut app = app_for("sort");
    let all = debugger(&app).rows().len();
    app.update(Action::ToggleZeroRows);
    let nonzero = debugger(&app).rows().len();
    assert!(nonzero < all);
}

#[test]
fn input_edit_reruns_model() {
    let mut app = app_for("sort");
    app.update(Action::EditInput);
    for _ in 0..20 {
        app.update(Action::Backspace);
    }
    for c in "BOS 2 1".chars() {
        app.update(Action::Type(c));
    }
    app.update(Action::Submit);
    let state = debugger(&app);
    assert!(state.error.is_none(), "{:?}", state.error);
    let decoded: Vec<String> = state
        .session
        .trace
        .decoded
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(decoded, ["BOS", "1", "2"]);
}

#[test]
fn bad_input_keeps_previous_trace() {
    let mut app = app_for("sort");
    let before = debugger(&app).session.trace.decoded.clone();
    app.update(Action::EditInput);
    app.update(Action::Type(' '));
    app.update(Action::Type('9'));
    app.update(Action::Submit);
    let state = debugger(&app);
    let error = state.error.clone().expect("an input error is shown");
    assert!(error.contains("`9`"), "{error}");
    assert_eq!(state.session.trace.decoded, before);
}

#[test]
fn heads_cycle_within_sublayer() {
    let mut app = app_for("sort");
    app.update(Action::NextStep);
    app.update(Action::NextHead);
    assert_eq!(
        debugger(&app).head,
        0,
        "a sublayer with one or no head keeps head 0"
    );
}

#[test]
fn help_toggles_and_blocks_keys() {
    let mut app = app_for("sort");
    app.update(Action::ToggleHelp);
    assert!(app.show_help);
    app.update(Action::NextStep);
    assert_eq!(
        debugger(&app).step,
        0,
        "keys other than close are ignored under help"
    );
    app.update(Action::Cancel);
    assert!(!app.show_help);
}

#[test]
fn picker_opens_program() {
    let mut app = App::with_picker(Overrides::default(), CompileOptions::default());
    let index = library::PROGRAMS
        .iter()
        .position(|p| p.name == "reverse")
        .expect("reverse");
    for _ in 0..index {
        app.update(Action::Down);
    }
    app.update(Action::Select);
    assert_eq!(debugger(&app).session.program.name, "reverse");
    app.update(Action::OpenPicker);
    assert!(app.on_picker());
}

#[test]
fn keys_map_to_actions() {
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    assert_eq!(
        action_for(key(KeyCode::Right), false),
        Some(Action::NextStep)
    );
    assert_eq!(
        action_for(key(KeyCode::Char('l')), false),
        Some(Action::NextStep)
    );
    assert_eq!(
        action_for(key(KeyCode::Char('h')), false),
        Some(Action::PrevStep)
    );
    assert_eq!(
        action_for(key(KeyCode::Char('G')), false),
        Some(Action::LastStep)
    );
    assert_eq!(
        action_for(key(KeyCode::Tab), false),
        Some(Action::FocusNext)
    );
    assert_eq!(
        action_for(key(KeyCode::Char(']')), false),
        Some(Action::NextHead)
    );
    assert_eq!(
        action_for(key(KeyCode::Char('q')), false),
        Some(Action::Quit)
    );
    assert_eq!(action_for(key(KeyCode::Esc), true), Some(Action::Cancel));
    assert_eq!(
        action_for(key(KeyCode::Char('d')), true),
        None,
        "delta is not a picker key"
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(action_for(ctrl_c, false), Some(Action::Quit));
    assert_eq!(
        text_action(key(KeyCode::Char('q'))),
        Some(Action::Type('q'))
    );
    assert_eq!(text_action(key(KeyCode::Enter)), Some(Action::Submit));
    let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(text_action(ctrl_u), Some(Action::ClearLine));
    let ctrl_x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL);
    assert_eq!(
        text_action(ctrl_x),
        None,
        "control keys are not typed as letters"
    );
}

#[test]
fn escape_closes_help_without_quitting() {
    let mut app = app_for("sort");
    app.update(Action::ToggleHelp);
    app.update(Action::Cancel);
    assert!(!app.show_help);
    assert!(!app.quit);
}

#[test]
fn escape_leaves_picker_for_debugger() {
    let mut app = app_for("sort");
    app.update(Action::NextStep);
    app.update(Action::OpenPicker);
    assert!(app.on_picker());
    app.update(Action::Cancel);
    assert!(!app.quit);
    assert_eq!(debugger(&app).session.program.name, "sort");
    assert_eq!(debugger(&app).step, 1, "the debugger comes back as it was");
}

#[test]
fn escape_clears_filter_then_hints_quit() {
    let mut app = app_for("sort");
    app.update(Action::StartFilter);
    app.update(Action::Type('x'));
    app.update(Action::Submit);
    app.update(Action::Cancel);
    assert!(debugger(&app).filter.is_empty());
    app.update(Action::Cancel);
    assert!(!app.quit);
    assert_eq!(debugger(&app).error.as_deref(), Some("press q to quit"));
}

#[test]
fn picker_ignores_program_settings() {
    let overrides = Overrides {
        vocab: Some(vec![tracr_tui::value::Value::Int(7)]),
        ..Overrides::default()
    };
    let mut app = App::with_picker(overrides, CompileOptions::default());
    let index = library::PROGRAMS
        .iter()
        .position(|p| p.name == "hist")
        .expect("hist");
    for _ in 0..index {
        app.update(Action::Down);
    }
    app.update(Action::Select);
    assert_eq!(
        debugger(&app).session.program.name,
        "hist",
        "hist opens with its own vocabulary"
    );
}

#[test]
fn rejected_input_resumes_editing() {
    let mut app = app_for("sort");
    app.update(Action::EditInput);
    app.update(Action::Type('9'));
    app.update(Action::Submit);
    assert!(debugger(&app).error.is_some());
    app.update(Action::EditInput);
    match &debugger(&app).editing {
        Some(tracr_tui::tui::app::Editing::Input(text)) => assert!(text.ends_with('9'), "{text}"),
        other => panic!("expected input editing, found {other:?}"),
    }
    app.update(Action::ClearLine);
    match &debugger(&app).editing {
        Some(tracr_tui::tui::app::Editing::Input(text)) => assert!(text.is_empty()),
        other => panic!("expected input editing, found {other:?}"),
    }
}

#[test]
fn delta_hides_zero_rows_until_off() {
    let mut app = app_for("sort");
    app.update(Action::ToggleDelta);
    assert!(debugger(&app).hide_zero_rows);
    app.update(Action::ToggleDelta);
    assert!(!debugger(&app).hide_zero_rows);
}

#[test]
fn detail_pane_scrolls_with_focus() {
    let mut app = app_for("sort");
    app.update(Action::FocusPrev);
    assert_eq!(debugger(&app).focus, Pane::Attention);
    let node = debugger(&app).selected_node;
    app.update(Action::Down);
    assert_eq!(debugger(&app).detail_scroll, 1);
    assert_eq!(
        debugger(&app).selected_node,
        node,
        "scrolling the detail pane keeps the node"
    );
}
