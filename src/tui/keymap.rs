//! The one table of key bindings. Dispatch, the footer and the help
//! overlay all read it, so they cannot drift apart.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::action::Action;

/// The screens a binding applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Debugger,
    Picker,
    /// Both screens.
    Everywhere,
}

/// One binding: the keys, what they do, and how help and footer show them.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub keys: &'static [KeyCode],
    /// The keys as help and footer write them.
    pub label: &'static str,
    pub action: Action,
    pub description: &'static str,
    pub context: Context,
    /// Whether the footer lists it.
    pub in_footer: bool,
}

const fn bind(
    keys: &'static [KeyCode],
    label: &'static str,
    action: Action,
    description: &'static str,
    context: Context,
    in_footer: bool,
) -> Binding {
    Binding {
        keys,
        label,
        action,
        description,
        context,
        in_footer,
    }
}

use Context::{Debugger, Everywhere, Picker};

pub const BINDINGS: &[Binding] = &[
    bind(
        &[KeyCode::Right, KeyCode::Char('l'), KeyCode::Char('n')],
        "→/l/n",
        Action::NextStep,
        "next sublayer",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Left, KeyCode::Char('h'), KeyCode::Char('p')],
        "←/h/p",
        Action::PrevStep,
        "previous sublayer",
        Debugger,
        true,
    ),
    bind(
        &[KeyCode::Char('g'), KeyCode::Home],
        "g",
        Action::FirstStep,
        "first step (embedding)",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Char('G'), KeyCode::End],
        "G",
        Action::LastStep,
        "last step",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Tab],
        "Tab",
        Action::FocusNext,
        "focus the next pane",
        Debugger,
        true,
    ),
    bind(
        &[KeyCode::BackTab],
        "S-Tab",
        Action::FocusPrev,
        "focus the previous pane",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Up, KeyCode::Char('k')],
        "↑/k",
        Action::Up,
        "move the selection up",
        Everywhere,
        false,
    ),
    bind(
        &[KeyCode::Down, KeyCode::Char('j')],
        "↓/j",
        Action::Down,
        "move the selection down",
        Everywhere,
        true,
    ),
    bind(
        &[KeyCode::PageUp],
        "PgUp",
        Action::PageUp,
        "move a page up",
        Everywhere,
        false,
    ),
    bind(
        &[KeyCode::PageDown],
        "PgDn",
        Action::PageDown,
        "move a page down",
        Everywhere,
        false,
    ),
    bind(
        &[KeyCode::Char(']')],
        "]",
        Action::NextHead,
        "next head in the sublayer",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Char('[')],
        "[",
        Action::PrevHead,
        "previous head",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Char('<'), KeyCode::Char(',')],
        "<",
        Action::ScrollLeft,
        "scroll positions left",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Char('>'), KeyCode::Char('.')],
        ">",
        Action::ScrollRight,
        "scroll positions right",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Enter],
        "Enter",
        Action::Select,
        "jump to node; open program",
        Everywhere,
        true,
    ),
    bind(
        &[KeyCode::Char('/')],
        "/",
        Action::StartFilter,
        "filter residual rows by name",
        Debugger,
        true,
    ),
    bind(
        &[KeyCode::Char('z')],
        "z",
        Action::ToggleZeroRows,
        "hide or show all-zero rows",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Char('d')],
        "d",
        Action::ToggleDelta,
        "toggle the sublayer's delta",
        Debugger,
        true,
    ),
    bind(
        &[KeyCode::Char('i')],
        "i",
        Action::EditInput,
        "edit the input and rerun",
        Debugger,
        true,
    ),
    bind(
        &[KeyCode::Char('?')],
        "?",
        Action::ToggleHelp,
        "show or hide this help",
        Everywhere,
        true,
    ),
    bind(
        &[KeyCode::Char('o')],
        "o",
        Action::OpenPicker,
        "open another bundled program",
        Debugger,
        false,
    ),
    bind(
        &[KeyCode::Esc],
        "Esc",
        Action::Cancel,
        "close help or picker; clear filter",
        Everywhere,
        false,
    ),
    bind(
        &[KeyCode::Char('q')],
        "q",
        Action::Quit,
        "quit",
        Everywhere,
        true,
    ),
];

/// Returns the action a key triggers in normal mode on the given screen.
pub fn action_for(key: KeyEvent, on_picker: bool) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    BINDINGS
        .iter()
        .filter(|binding| match binding.context {
            Everywhere => true,
            Debugger => !on_picker,
            Picker => on_picker,
        })
        .find(|binding| binding.keys.contains(&key.code))
        .map(|binding| binding.action)
}

/// Returns the action a key triggers while text is being typed.
pub fn text_action(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == KeyCode::Char('u')).then_some(Action::ClearLine);
    }
    match key.code {
        KeyCode::Enter => Some(Action::Submit),
        KeyCode::Esc => Some(Action::Cancel),
        KeyCode::Backspace => Some(Action::Backspace),
        KeyCode::Char(c) => Some(Action::Type(c)),
        _ => None,
    }
}

/// Returns the footer's key hints for a screen, as `(keys, description)`.
pub fn footer(on_picker: bool) -> Vec<(&'static str, &'static str)> {
    let mut hints: Vec<(&str, &str)> = Vec::new();
    if !on_picker {
        hints.push(("←/→", "step"));
    }
    for binding in BINDINGS.iter().filter(|binding| binding.in_footer) {
        let applies = match binding.context {
            Everywhere => true,
            Debugger => !on_picker,
            Picker => on_picker,
        };
        if applies && binding.action != Action::PrevStep {
            hints.push((binding.label, short(binding.action, on_picker)));
        }
    }
    hints
}

fn short(action: Action, on_picker: bool) -> &'static str {
    match action {
        Action::FocusNext => "pane",
        Action::Down => "select",
        Action::Select if on_picker => "open",
        Action::Select => "jump",
        Action::StartFilter => "filter",
        Action::ToggleDelta => "delta",
        Action::EditInput => "input",
        Action::ToggleHelp => "help",
        Action::Quit => "quit",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_binding() {
        for action in Action::BOUND {
            assert!(
                BINDINGS.iter().any(|binding| binding.action == action),
                "{action:?} has no key"
            );
        }
    }

    #[test]
    fn keys_are_not_bound_twice() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                for key in a.keys {
                    assert!(
                        !b.keys.contains(key),
                        "{key:?} is bound to {:?} and {:?}",
                        a.action,
                        b.action
                    );
                }
            }
        }
    }
}
