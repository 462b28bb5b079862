//! tracr-tui compiles RASP programs into transformer weights and steps
//! through the compiled model. This crate contains every stage, from the
//! language front end to the reports the command line prints.

pub mod compiler;
pub mod craft;
pub mod diagnostic;
pub mod input;
pub mod model;
pub mod rasp;
pub mod report;
pub mod session;
pub mod source;
pub mod tui;
pub mod value;
