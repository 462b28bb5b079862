//! The debugger's state and the one place it changes: [`App::update`].

use crate::compiler::CompileOptions;
use crate::rasp::check::Overrides;
use crate::rasp::library::{self, LibraryProgram};
use crate::rasp::load_program;
use crate::session::{Session, SessionError};
use crate::tui::action::Action;
use crate::tui::rows::{ResidualRow, residual_rows};
use crate::tui::viewport;

/// The panes that take the keyboard focus, in Tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Graph,
    Residual,
    Attention,
}

impl Pane {
    fn next(self) -> Pane {
        match self {
            Pane::Graph => Pane::Residual,
            Pane::Residual => Pane::Attention,
            Pane::Attention => Pane::Graph,
        }
    }

    fn prev(self) -> Pane {
        match self {
            Pane::Graph => Pane::Attention,
            Pane::Residual => Pane::Graph,
            Pane::Attention => Pane::Residual,
        }
    }
}

/// A line of text being typed, and what it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Editing {
    Filter(String),
    Input(String),
}

/// The debugger over one session.
#[derive(Clone, Debug)]
pub struct Debugger {
    pub session: Session,
    /// The residual stream shown is the one after this many steps (0 is the embedding).
    pub step: usize,
    pub focus: Pane,
    /// The selected node, an index into the program's nodes in graph order.
    pub selected_node: usize,
    /// The selected row of the residual table, an index into the visible rows.
    pub selected_row: usize,
    /// The head shown by the attention pane, within its sublayer.
    pub head: usize,
    /// The first position column shown.
    pub first_position: usize,
    pub filter: String,
    pub hide_zero_rows: bool,
    /// Show what the current sublayer added instead of the residual stream.
    pub delta: bool,
    pub editing: Option<Editing>,
    /// The last input or command error, shown until the next action.
    pub error: Option<String>,
    /// Rows the residual pane shows per page, set from the last frame's size.
    pub page_rows: usize,
    /// The first line the attention or MLP pane shows, moved with ↑/↓
    /// while that pane has the focus.
    pub detail_scroll: usize,
    /// An input that failed to run, kept so `i` can resume editing it.
    pub rejected_input: Option<String>,
    /// Whether zero rows were hidden before delta mode hid them.
    pub hide_zero_before_delta: bool,
}

/// The program picker.
#[derive(Clone, Debug, Default)]
pub struct Picker {
    pub selected: usize,
    /// The reason the last program failed to open.
    pub error: Option<String>,
    /// The debugger the picker was opened from, which Esc returns to.
    pub previous: Option<Box<Debugger>>,
}

#[derive(Clone, Debug)]
pub enum Screen {
    Picker(Picker),
    Debugger(Box<Debugger>),
}

/// The whole application state.
#[derive(Clone, Debug)]
pub struct App {
    pub screen: Screen,
    pub show_help: bool,
    pub quit: bool,
    /// Settings used when the picker opens a program: the command line's
    /// `--causal` and `--mlp-exactness`, but not its vocabulary or length,
    /// which belong to the program named on the command line.
    pub overrides: Overrides,
    pub options: CompileOptions,
}

impl App {
    pub fn with_session(session: Session, overrides: Overrides, options: CompileOptions) -> App {
        App {
            screen: Screen::Debugger(Box::new(Debugger::new(session))),
            show_help: false,
            quit: false,
            overrides: picker_overrides(&overrides),
            options,
        }
    }

    pub fn with_picker(overrides: Overrides, options: CompileOptions) -> App {
        App {
            screen: Screen::Picker(Picker::default()),
            show_help: false,
            quit: false,
            overrides: picker_overrides(&overrides),
            options,
        }
    }

    /// Returns whether keys are being read as text.
    pub fn is_editing(&self) -> bool {
        matches!(&self.screen, Screen::Debugger(debugger) if debugger.editing.is_some())
    }

    pub fn on_picker(&self) -> bool {
        matches!(self.screen, Screen::Picker(_))
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        if action == Action::Quit {
            self.quit = true;
            return;
        }
        if self.show_help {
            if matches!(action, Action::ToggleHelp | Action::Cancel) {
                self.show_help = false;
            }
            return;
        }
        if action == Action::ToggleHelp && !self.is_editing() {
            self.show_help = true;
            return;
        }
        if let Screen::Picker(picker) = &mut self.screen {
            if action == Action::Cancel {
                match picker.previous.take() {
                    Some(debugger) => self.screen = Screen::Debugger(debugger),
                    None => self.quit = true,
                }
                return;
            }
            if let Some(screen) = picker.update(action, &self.overrides, self.options) {
                self.screen = screen;
            }
            return;
        }
        let Screen::Debugger(debugger) = &mut self.screen else {
            return;
        };
        if action == Action::OpenPicker && debugger.editing.is_none() {
            let placeholder = Screen::Picker(Picker::default());
            if let Screen::Debugger(debugger) = std::mem::replace(&mut self.screen, placeholder) {
                self.screen = Screen::Picker(Picker {
                    previous: Some(debugger),
                    ..Picker::default()
                });
            }
            return;
        }
        debugger.update(action);
    }
}

/// Keeps the overrides that make sense for any program.
fn picker_overrides(overrides: &Overrides) -> Overrides {
    Overrides {
        causal: overrides.causal,
        mlp_exactness: overrides.mlp_exactness,
        ..Overrides::default()
    }
}

impl Picker {
    /// Moves the selection or opens the selected program; returns the new
    /// screen when a program opened.
    fn update(
        &mut self,
        action: Action,
        overrides: &Overrides,
        options: CompileOptions,
    ) -> Option<Screen> {
        let n = library::PROGRAMS.len();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(n.saturating_sub(1)),
            Action::Select => {
                match open_bundled(&library::PROGRAMS[self.selected], overrides, options) {
                    Ok(session) => return Some(Screen::Debugger(Box::new(Debugger::new(session)))),
                    Err(error) => self.error = Some(error),
                }
            }
            _ => {}
        }
        None
    }
}

/// Compiles a bundled program and runs it on its example input.
pub fn open_bundled(
    program: &LibraryProgram,
    overrides: &Overrides,
    options: CompileOptions,
) -> Result<Session, String> {
    let source = program.source();
    let checked = load_program(&source, overrides).map_err(|errors| {
        format!(
            "{} does not load: {}",
            program.name,
            errors.first().map_or("", |e| e.message.as_str())
        )
    })?;
    let example = program.example().map_or("", |(input, _)| input);
    let input = crate::input::parse_input(example, &checked.settings)?;
    Session::new(checked, options, input).map_err(|error| match error {
        SessionError::Compile(errors) => format!(
            "{} does not compile: {}",
            program.name,
            errors.first().map_or("", |e| e.message.as_str())
        ),
        SessionError::Input(message) => message,
    })
}

impl Debugger {
    pub fn new(session: Session) -> Debugger {
        let selected_node = session.program.output;
        let error = session
            .warnings
            .first()
            .map(|warning| format!("warning: {warning}"));
        Debugger {
            session,
            step: 0,
            focus: Pane::Graph,
            selected_node,
            selected_row: 0,
            head: 0,
            first_position: 0,
            filter: String::new(),
            hide_zero_rows: false,
            delta: false,
            editing: None,
            error,
            page_rows: 10,
            detail_scroll: 0,
            rejected_input: None,
            hide_zero_before_delta: false,
        }
    }

    pub fn last_step(&self) -> usize {
        self.session.n_steps() - 1
    }

    /// Returns the sublayer whose output the current step shows, if any.
    pub fn sublayer(&self) -> Option<usize> {
        self.step.checked_sub(1)
    }

    /// Returns the residual rows shown with the current filter and toggles.
    pub fn rows(&self) -> Vec<ResidualRow> {
        residual_rows(
            &self.session,
            self.step,
            &self.filter,
            self.hide_zero_rows,
            self.delta,
        )
    }

    /// Returns the nodes in the order the graph pane lists them: by depth,
    /// then program order.
    pub fn graph_order(&self) -> Vec<usize> {
        let depth = &self.session.compiled.graph.depth;
        let mut order: Vec<usize> = (0..self.session.program.nodes.len()).collect();
        order.sort_by_key(|&id| (depth[id], id));
        order
    }

    fn update(&mut self, action: Action) {
        if let Some(editing) = self.editing.clone() {
            self.update_editing(editing, action);
            return;
        }
        self.error = None;
        match action {
            Action::NextStep => self.set_step(self.step + 1),
            Action::PrevStep => self.set_step(self.step.saturating_sub(1)),
            Action::FirstStep => self.set_step(0),
            Action::LastStep => self.set_step(self.last_step()),
            Action::FocusNext => self.focus = self.focus.next(),
            Action::FocusPrev => self.focus = self.focus.prev(),
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-(self.page_rows.max(1) as isize)),
            Action::PageDown => self.move_selection(self.page_rows.max(1) as isize),
            Action::NextHead => self.head = viewport::cycle(self.head, 1, self.n_heads()),
            Action::PrevHead => self.head = viewport::cycle(self.head, -1, self.n_heads()),
            Action::ScrollLeft => self.first_position = self.first_position.saturating_sub(1),
            Action::ScrollRight => {
                let n_positions = self.session.trace.tokens.len();
                self.first_position = (self.first_position + 1).min(n_positions.saturating_sub(1));
            }
            Action::Select => self.jump_to_selected(),
            Action::StartFilter => self.editing = Some(Editing::Filter(self.filter.clone())),
            Action::ToggleZeroRows => {
                self.hide_zero_rows = !self.hide_zero_rows;
                self.clamp_row();
            }
            Action::ToggleDelta => {
                // A delta is mostly zeros, so delta mode hides zero rows
                // until it is turned off again; `z` still toggles them.
                self.delta = !self.delta;
                if self.delta {
                    self.hide_zero_before_delta = self.hide_zero_rows;
                    self.hide_zero_rows = true;
                } else {
                    self.hide_zero_rows = self.hide_zero_before_delta;
                }
                self.clamp_row();
            }
            Action::EditInput => {
                // After a rejected input, editing resumes from what was typed.
                let text = self.rejected_input.take().unwrap_or_else(|| {
                    let tokens: Vec<String> = self
                        .session
                        .trace
                        .tokens
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                    format!("{} ", tokens.join(" "))
                });
                self.editing = Some(Editing::Input(text));
            }
            Action::Cancel if !self.filter.is_empty() => {
                self.filter.clear();
                self.clamp_row();
            }
            Action::Cancel => self.error = Some("press q to quit".to_string()),
            _ => {}
        }
    }

    fn update_editing(&mut self, editing: Editing, action: Action) {
        let (mut text, is_filter) = match editing {
            Editing::Filter(text) => (text, true),
            Editing::Input(text) => (text, false),
        };
        match action {
            Action::Type(c) => text.push(c),
            Action::Backspace => {
                text.pop();
            }
            Action::ClearLine => text.clear(),
            Action::Cancel => {
                self.editing = None;
                return;
            }
            Action::Submit => {
                self.editing = None;
                if is_filter {
                    self.filter = text;
                    self.selected_row = 0;
                } else {
                    self.submit_input(&text);
                }
                return;
            }
            _ => {}
        }
        if is_filter {
            // The filter applies as it is typed.
            self.filter = text.clone();
            self.clamp_row();
            self.editing = Some(Editing::Filter(text));
        } else {
            self.editing = Some(Editing::Input(text));
        }
    }

    /// Reruns the model on a new input; on an error the previous trace stays.
    fn submit_input(&mut self, text: &str) {
        match self.session.with_input(text) {
            Ok(session) => {
                self.error = session
                    .warnings
                    .first()
                    .map(|warning| format!("warning: {warning}"));
                self.session = session;
                self.first_position = 0;
                self.clamp_row();
            }
            Err(message) => {
                self.error = Some(message);
                self.rejected_input = Some(text.to_string());
            }
        }
    }

    /// Moves to a step and selects the first node computed there, so the
    /// graph and the residual table follow the step.
    fn set_step(&mut self, step: usize) {
        self.step = step.min(self.last_step());
        self.head = 0;
        self.detail_scroll = 0;
        if let Some(&node) = self
            .sublayer()
            .and_then(|s| self.session.sublayer_nodes(s).first().copied())
            .as_ref()
        {
            self.selected_node = node;
            self.select_row_of_node();
        }
        self.clamp_row();
    }

    fn n_heads(&self) -> usize {
        match self.sublayer() {
            Some(sublayer) if sublayer % 2 == 0 => self.session.trace.heads[sublayer].len(),
            _ => 0,
        }
    }

    fn move_selection(&mut self, delta: isize) {
        match self.focus {
            Pane::Attention => {
                self.detail_scroll = (self.detail_scroll as isize + delta).max(0) as usize;
            }
            Pane::Graph => {
                let order = self.graph_order();
                let index = order
                    .iter()
                    .position(|&id| id == self.selected_node)
                    .unwrap_or(0);
                let index = viewport::step_index(index, delta, order.len());
                self.selected_node = order[index];
                self.select_row_of_node();
            }
            Pane::Residual => {
                let rows = self.rows();
                self.selected_row = viewport::step_index(self.selected_row, delta, rows.len());
                if let Some(owner) = rows.get(self.selected_row).and_then(|row| row.node) {
                    self.selected_node = owner;
                }
            }
        }
    }

    /// Moves the residual selection to the first row of the selected node.
    fn select_row_of_node(&mut self) {
        if let Some(index) = self
            .rows()
            .iter()
            .position(|row| row.node == Some(self.selected_node))
        {
            self.selected_row = index;
        }
    }

    fn clamp_row(&mut self) {
        let n_rows = self.rows().len();
        self.selected_row = self.selected_row.min(n_rows.saturating_sub(1));
    }

    /// Jumps to the step right after the selected node's sublayer and shows
    /// its head, if it has one.
    fn jump_to_selected(&mut self) {
        let node = self.selected_node;
        let Some(sublayer) = self.session.compiled.sublayer[node] else {
            let label = &self.session.program.nodes[node].label;
            self.error = Some(format!(
                "`{label}` has no block of its own: it is an input or a selector"
            ));
            return;
        };
        self.set_step(sublayer + 1);
        self.selected_node = node;
        if let Some(head) = self.session.trace.heads[sublayer]
            .iter()
            .position(|head| head.node == node)
        {
            self.head = head;
        }
        self.select_row_of_node();
    }
}
