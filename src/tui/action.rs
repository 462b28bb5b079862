//! Actions: the command a key gives the debugger, independent of the key.

/// One command. Text-entry actions carry the character typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    NextStep,
    PrevStep,
    FirstStep,
    LastStep,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    PageUp,
    PageDown,
    NextHead,
    PrevHead,
    ScrollLeft,
    ScrollRight,
    /// Enter: jump to the selected node's sublayer, or open the picked program.
    Select,
    StartFilter,
    ToggleZeroRows,
    ToggleDelta,
    EditInput,
    ToggleHelp,
    /// Back to the program picker.
    OpenPicker,
    Quit,
    /// Text entry (filter or input): type a character.
    Type(char),
    /// Text entry: delete the last character.
    Backspace,
    /// Text entry: delete the whole line.
    ClearLine,
    /// Text entry: accept.
    Submit,
    /// Leave without applying: close help or the picker, stop typing,
    /// clear the filter.
    Cancel,
}

impl Action {
    /// Every action that a key in normal mode can trigger, for the test that
    /// each has a binding.
    pub const BOUND: [Action; 23] = [
        Action::NextStep,
        Action::PrevStep,
        Action::FirstStep,
        Action::LastStep,
        Action::FocusNext,
        Action::FocusPrev,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::NextHead,
        Action::PrevHead,
        Action::ScrollLeft,
        Action::ScrollRight,
        Action::Select,
        Action::StartFilter,
        Action::ToggleZeroRows,
        Action::ToggleDelta,
        Action::EditInput,
        Action::ToggleHelp,
        Action::OpenPicker,
        Action::Cancel,
        Action::Quit,
    ];
}
