//! Everything the reports and the debugger show, computed up front: the
//! program, its compiled model, one input's trace, the interpreter's values,
//! and each node's value decoded from the residual stream at every step.

use std::sync::Arc;

use crate::compiler::{CompileOptions, Compiled, compile};
use crate::diagnostic::Diagnostic;
use crate::model::{Trace, forward};
use crate::rasp::eval::{NodeValue, evaluate};
use crate::rasp::program::{Encoding, Program};
use crate::value::Value;

/// A compiled program run on one input.
#[derive(Clone, Debug)]
pub struct Session {
    pub program: Program,
    /// Shared, so running the model on another input copies no weights.
    pub compiled: Arc<Compiled>,
    /// The input tokens without BOS.
    pub input: Vec<Value>,
    pub trace: Trace,
    /// The interpreter's value of every node, indexed like `program.nodes`.
    pub rasp: Vec<NodeValue>,
    /// Problems with this input that make the model's output meaningless
    /// at some positions, such as a categorical aggregate that averages
    /// different values; Tracr's validator rejects these at run time.
    pub warnings: Vec<String>,
}

impl Session {
    /// Compiles the program and runs it on `input` (without BOS).
    pub fn new(
        program: Program,
        options: CompileOptions,
        input: Vec<Value>,
    ) -> Result<Session, SessionError> {
        let compiled = compile(&program, options).map_err(SessionError::Compile)?;
        let trace = forward(&compiled.model, &input).map_err(SessionError::Input)?;
        let rasp = evaluate(&program, &input);
        let warnings = input_warnings(&program, &rasp);
        Ok(Session {
            program,
            compiled: Arc::new(compiled),
            input,
            trace,
            rasp,
            warnings,
        })
    }

    /// Runs the same compiled model on another input, given as text such as
    /// `"BOS 3 1 2"`. The error names the invalid token or length.
    pub fn with_input(&self, input_text: &str) -> Result<Session, String> {
        let input = crate::input::parse_input(input_text, &self.program.settings)?;
        let trace = forward(&self.compiled.model, &input)?;
        let rasp = evaluate(&self.program, &input);
        let warnings = input_warnings(&self.program, &rasp);
        Ok(Session {
            program: self.program.clone(),
            compiled: Arc::clone(&self.compiled),
            input,
            trace,
            rasp,
            warnings,
        })
    }

    /// Returns the number of steps: the embedding plus one per sublayer.
    pub fn n_steps(&self) -> usize {
        self.trace.residuals.len()
    }

    /// Names a step: `embed` for step 0, then `layer 0 attn`, `layer 0 mlp`, ...
    pub fn step_name(&self, step: usize) -> String {
        if step == 0 {
            return "embed".to_string();
        }
        let sublayer = step - 1;
        let kind = if sublayer % 2 == 0 { "attn" } else { "mlp" };
        format!("layer {} {kind}", sublayer / 2)
    }

    /// Returns the nodes whose block sits in a sublayer, in program order.
    pub fn sublayer_nodes(&self, sublayer: usize) -> Vec<usize> {
        use crate::model::Sublayer;
        let mut ids: Vec<usize> = match self.compiled.model.sublayers.get(sublayer) {
            Some(Sublayer::Attention(heads)) => heads.iter().map(|head| head.node).collect(),
            Some(Sublayer::Mlp(Some(mlp))) => mlp.hidden_nodes.iter().flatten().copied().collect(),
            _ => Vec::new(),
        };
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Returns the interpreter's output at each position, `None` at BOS.
    pub fn rasp_output(&self) -> Vec<Value> {
        let mut output = vec![Value::None];
        output.extend(
            self.rasp[self.program.output]
                .as_sop()
                .unwrap_or(&[])
                .iter()
                .cloned(),
        );
        output
    }

    /// Decodes a sop's value at every position (BOS included) from the
    /// residual stream after `step` steps (0 is the embedding). A
    /// categorical sop takes the value of its largest direction, or `None`
    /// where every direction is below one half; a numerical sop is its
    /// direction's magnitude. Selectors and sops without directions give
    /// `None` everywhere. In Tracr's mode a categorical sop always takes its
    /// largest direction, as Tracr's decoding does.
    pub fn decode_node(&self, node: usize, step: usize) -> Vec<Value> {
        let residual = &self.trace.residuals[step];
        let n_positions = residual.nrows();
        let Some(basis) = &self.compiled.bases[node] else {
            return vec![Value::None; n_positions];
        };
        let model = &self.compiled.model;
        let columns: Vec<(usize, Option<Value>)> = basis
            .space
            .basis()
            .iter()
            .filter_map(|direction| Some((model.column(direction)?, direction.value.clone())))
            .collect();
        (0..n_positions)
            .map(|position| match self.program.nodes[node].encoding {
                Encoding::Numerical => columns.first().map_or(Value::None, |(column, _)| {
                    Value::Float(residual[[position, *column]])
                }),
                // Tracr's mode decodes as Tracr does, with the argmax even of
                // an empty subspace, so its faults show as disagreements.
                Encoding::Categorical => crate::model::decode_one_hot(
                    columns.iter().filter_map(|(column, value)| {
                        Some((residual[[position, *column]], value.as_ref()?))
                    }),
                    model.decode_none,
                ),
            })
            .collect()
    }

    /// Returns the step after which a node's value is in the residual
    /// stream: 0 for `tokens` and `indices`, the step after its last
    /// sublayer for computed nodes, `None` for selectors.
    pub fn ready_step(&self, node: usize) -> Option<usize> {
        use crate::compiler::lower::NodeBlock;
        if self.program.nodes[node].kind.is_selector() {
            return None;
        }
        match (&self.compiled.blocks[node], self.compiled.sublayer[node]) {
            (None, _) => Some(0),
            (Some(NodeBlock::AttentionThenMlp(..)), Some(sublayer)) => Some(sublayer + 2),
            (Some(_), Some(sublayer)) => Some(sublayer + 1),
            (Some(_), None) => None,
        }
    }
}

/// The reason a session could not be built.
#[derive(Clone, Debug)]
pub enum SessionError {
    /// The program cannot be compiled; each diagnostic names a node.
    Compile(Vec<Diagnostic>),
    /// The input does not fit the model.
    Input(String),
}

/// Finds categorical aggregates that select several different values at
/// some position: the compiled head then writes a blend of one-hot
/// vectors, which decodes to one of them, while RASP gives no single value.
fn input_warnings(program: &Program, rasp: &[NodeValue]) -> Vec<String> {
    use crate::rasp::program::NodeKind;
    let mut warnings = Vec::new();
    for node in &program.nodes {
        let NodeKind::Aggregate { selector, sop, .. } = &node.kind else {
            continue;
        };
        if node.encoding != Encoding::Categorical {
            continue;
        }
        let (Some(matrix), Some(values)) = (rasp[*selector].as_selector(), rasp[*sop].as_sop())
        else {
            continue;
        };
        for (query, row) in matrix.iter().enumerate() {
            let mut selected: Vec<&Value> = Vec::new();
            for (value, _) in values.iter().zip(row).filter(|(_, chosen)| **chosen) {
                if !value.is_none() && !selected.contains(&value) {
                    selected.push(value);
                }
            }
            if selected.len() > 1 {
                let shown: Vec<String> = selected.iter().map(ToString::to_string).collect();
                warnings.push(format!(
                    "`{}` selects the different values {{{}}} of `{}` at position {} (BOS is 0); a categorical aggregate moves one value, so the model's output there is not meaningful",
                    node.label,
                    shown.join(", "),
                    program.nodes[*sop].label,
                    query + 1
                ));
                break;
            }
        }
    }
    warnings
}
