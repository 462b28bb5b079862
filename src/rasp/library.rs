//! The bundled program library: every file of `programs/`, compiled into the
//! binary so `tracr-tui sort` works from any folder.
//!
//! Each file starts with a comment line that describes it, and has a line
//! `# Example: INPUT -> OUTPUT` giving an input and the output it produces.

use crate::source::SourceFile;

/// One bundled program.
#[derive(Clone, Copy, Debug)]
pub struct LibraryProgram {
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! library {
    ($($name:literal),* $(,)?) => {
        &[$(LibraryProgram { name: $name, text: include_str!(concat!("../../programs/", $name, ".rasp")) }),*]
    };
}

/// All bundled programs, sorted by name.
pub const PROGRAMS: &[LibraryProgram] = library![
    "contains",
    "count",
    "count_less_freq",
    "detect_pattern",
    "double_hist",
    "frac_prevs",
    "hist",
    "length",
    "length_numerical",
    "pair_balance",
    "reverse",
    "shift_by",
    "shift_by_2",
    "shuffle_dyck",
    "shuffle_dyck2",
    "sort",
    "sort_freq",
    "sort_unique",
];

impl LibraryProgram {
    /// Returns the program as a source file named `<name>` for diagnostics.
    pub fn source(&self) -> SourceFile {
        SourceFile::new(format!("<{}>", self.name), self.text)
    }

    /// Returns the description: the opening comment lines up to the
    /// `# Example:` line or the first empty comment line, joined by spaces.
    pub fn description(&self) -> String {
        let mut words = Vec::new();
        for line in self.text.lines() {
            let Some(comment) = line.trim_start().strip_prefix('#') else {
                break;
            };
            let comment = comment.trim();
            if comment.is_empty() || comment.starts_with("Example:") {
                break;
            }
            words.push(comment);
        }
        words.join(" ")
    }

    /// Returns the example input and output, as written after `# Example:`.
    pub fn example(&self) -> Option<(&'static str, &'static str)> {
        example_in(self.text)
    }
}

/// Returns the input and output of the first `# Example: INPUT -> OUTPUT`
/// line of a program text, bundled or not.
pub fn example_in(text: &str) -> Option<(&str, &str)> {
    let line = text
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("# Example:"))?;
    let (input, output) = line.split_once("->")?;
    Some((input.trim(), output.trim()))
}

/// Finds a bundled program by name.
pub fn find(name: &str) -> Option<&'static LibraryProgram> {
    PROGRAMS.iter().find(|program| program.name == name)
}
