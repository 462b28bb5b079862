//! Turns each node into its craft block: an attention head for an
//! aggregate, an MLP for a map or sequence map, and a head followed by an
//! MLP for a selector width.

use crate::compiler::basis::NodeBasis;
use crate::craft::chamber::categorical_attn::{CategoricalAttn, categorical_attn};
use crate::craft::chamber::categorical_mlp::{
    map_categorical_mlp, map_categorical_to_numerical_mlp, map_categorical_to_numerical_signed_mlp,
    sequence_map_categorical_mlp,
};
use crate::craft::chamber::numerical_mlp::{
    Discretisation, linear_sequence_map_mlp, map_numerical_mlp, map_numerical_to_categorical_mlp,
    min_separating_slope,
};
use crate::craft::chamber::selector_width::{SelectorWidth, selector_width, width_discretisation};
use crate::craft::{AttentionHead, BasisDirection, Mlp, VectorSpace};
use crate::diagnostic::Diagnostic;
use crate::rasp::program::{Encoding, Node, NodeKind, Predicate, Program};
use crate::value::Value;

/// Score of a selected key; Tracr's `softmax_coldness`.
pub const SOFTMAX_COLDNESS: f64 = 100.0;

/// The block that computes one node.
#[derive(Clone, Debug)]
pub enum NodeBlock {
    Attention(AttentionHead),
    Mlp(Mlp),
    /// A selector width: a head, then an MLP in the next sublayer.
    AttentionThenMlp(Box<AttentionHead>, Box<Mlp>),
}

/// The slope used for one discretising MLP, and the smallest that would
/// separate its inputs.
#[derive(Clone, Debug)]
pub struct SlopeChoice {
    pub node: usize,
    pub requested: f64,
    pub used: f64,
    pub needed: f64,
}

/// The blocks of all nodes, indexed like the program's nodes, and the
/// slopes chosen for discretising MLPs.
#[derive(Clone, Debug)]
pub struct Lowered {
    pub blocks: Vec<Option<NodeBlock>>,
    pub slopes: Vec<SlopeChoice>,
}

/// Options that change how blocks are built.
#[derive(Clone, Copy, Debug)]
pub struct LowerOptions {
    pub tracr_compat: bool,
    pub mlp_exactness: f64,
}

/// Returns `one`, the direction that is 1 at every position.
pub fn one_direction() -> BasisDirection {
    BasisDirection::named("one")
}

pub fn bos_direction(program: &Program) -> BasisDirection {
    BasisDirection::with_value("tokens", Value::Str(program.settings.compiler_bos.clone()))
}

/// Builds every node's block; `tokens`, `indices` and selectors get `None`.
pub fn lower(
    program: &Program,
    bases: &[Option<NodeBasis>],
    options: LowerOptions,
) -> Result<Lowered, Vec<Diagnostic>> {
    let mut lowering = Lowering {
        program,
        bases,
        options,
        one: one_direction(),
        bos: bos_direction(program),
        slopes: Vec::new(),
    };
    let mut blocks = Vec::with_capacity(program.nodes.len());
    let mut errors = Vec::new();
    for id in 0..program.nodes.len() {
        match lowering.node(id) {
            Ok(block) => blocks.push(block),
            Err(message) => {
                let node = &program.nodes[id];
                errors.push(Diagnostic::error(
                    node.span,
                    format!("cannot compile `{}`: {message}", node.label),
                ));
                blocks.push(None);
            }
        }
    }
    if errors.is_empty() {
        Ok(Lowered {
            blocks,
            slopes: lowering.slopes,
        })
    } else {
        Err(errors)
    }
}

struct Lowering<'a> {
    program: &'a Program,
    bases: &'a [Option<NodeBasis>],
    options: LowerOptions,
    one: BasisDirection,
    bos: BasisDirection,
    slopes: Vec<SlopeChoice>,
}

impl Lowering<'_> {
    fn basis(&self, id: usize) -> Result<&NodeBasis, String> {
        self.bases[id]
            .as_ref()
            .ok_or_else(|| format!("`{}` has no basis", self.program.nodes[id].label))
    }

    fn space(&self, id: usize) -> Result<&VectorSpace, String> {
        Ok(&self.basis(id)?.space)
    }

    fn numerical_direction(&self, id: usize) -> Result<BasisDirection, String> {
        self.space(id)?
            .basis()
            .first()
            .cloned()
            .ok_or_else(|| format!("`{}` has no direction", self.program.nodes[id].label))
    }

    fn node(&mut self, id: usize) -> Result<Option<NodeBlock>, String> {
        let node = &self.program.nodes[id];
        let block = match &node.kind {
            NodeKind::Tokens
            | NodeKind::Indices
            | NodeKind::Select { .. }
            | NodeKind::SelectorAnd { .. }
            | NodeKind::SelectorOr { .. }
            | NodeKind::SelectorNot { .. } => return Ok(None),
            NodeKind::Map { f, input } => {
                let call = |x: &Value| {
                    f.call(std::slice::from_ref(x))
                        .ok()
                        .filter(|y| !y.is_none())
                };
                NodeBlock::Mlp(self.map(id, node, *input, &call)?)
            }
            NodeKind::SequenceMap { f, fst, snd } => {
                let output_space = self.space(id)?;
                let image = |x: &BasisDirection, y: &BasisDirection| {
                    let result = f.call(&[x.value.clone()?, y.value.clone()?]).ok()?;
                    let target = BasisDirection::with_value(node.label.clone(), result);
                    output_space.contains(&target).then_some(target)
                };
                let mlp = if fst == snd {
                    // Both inputs are one sop, so the pair space would repeat it.
                    map_categorical_mlp(self.space(*fst)?, output_space, |x| image(x, x))
                } else {
                    sequence_map_categorical_mlp(
                        self.space(*fst)?,
                        self.space(*snd)?,
                        output_space,
                        &self.one,
                        &hidden_name(&node.label),
                        image,
                    )
                };
                NodeBlock::Mlp(mlp)
            }
            NodeKind::LinearSequenceMap {
                fst,
                snd,
                fst_factor,
                snd_factor,
            } => NodeBlock::Mlp(linear_sequence_map_mlp(
                &self.numerical_direction(*fst)?,
                &self.numerical_direction(*snd)?,
                &self.numerical_direction(id)?,
                fst_factor.as_f64().unwrap_or(0.0),
                snd_factor.as_f64().unwrap_or(0.0),
                &hidden_name(&node.label),
            )),
            NodeKind::Aggregate { selector, sop, .. } => {
                let (keys, queries, predicate) = self.select(*selector)?;
                let attends =
                    |query: &BasisDirection, key: &BasisDirection| match (&key.value, &query.value)
                    {
                        (Some(k), Some(q)) => predicate.holds(k, q),
                        _ => false,
                    };
                NodeBlock::Attention(categorical_attn(&CategoricalAttn {
                    query_space: self.space(queries)?,
                    key_space: self.space(keys)?,
                    value_space: self.space(*sop)?,
                    output_space: self.space(id)?,
                    bos: &self.bos,
                    one: &self.one,
                    attends: &attends,
                    always_attend_to_bos: false,
                    bos_is_default: true,
                    softmax_coldness: SOFTMAX_COLDNESS,
                }))
            }
            NodeKind::SelectorWidth { selector } => {
                let (keys, queries, predicate) = self.select(*selector)?;
                let attends =
                    |query: &BasisDirection, key: &BasisDirection| match (&key.value, &query.value)
                    {
                        (Some(k), Some(q)) => predicate.holds(k, q),
                        _ => false,
                    };
                let widths = &self.basis(id)?.value_set.clone();
                let slope = self.slope(
                    id,
                    &width_discretisation(widths, !self.options.tracr_compat),
                );
                let clean_bos_neuron = if self.options.tracr_compat {
                    "_hidden_clean_bos_".to_string()
                } else {
                    format!("_hidden_clean_bos_{}_", node.label)
                };
                let (head, mlp) = selector_width(
                    &SelectorWidth {
                        query_space: self.space(queries)?,
                        key_space: self.space(keys)?,
                        output_space: self.space(id)?,
                        bos: &self.bos,
                        one: &self.one,
                        attends: &attends,
                        widths,
                        categorical_output: node.encoding == Encoding::Categorical,
                        softmax_coldness: SOFTMAX_COLDNESS,
                        label: &node.label,
                        clean_bos_neuron: &clean_bos_neuron,
                        merge_inputs: !self.options.tracr_compat,
                    },
                    slope,
                )?;
                NodeBlock::AttentionThenMlp(Box::new(head), Box::new(mlp))
            }
        };
        Ok(Some(block))
    }

    fn map(
        &mut self,
        id: usize,
        node: &Node,
        input: usize,
        call: &dyn Fn(&Value) -> Option<Value>,
    ) -> Result<Mlp, String> {
        let input_node = &self.program.nodes[input];
        let input_space = self.space(input)?.clone();
        let output_space = self.space(id)?.clone();
        let hidden = hidden_name(&node.label);
        let mlp = match (input_node.encoding, node.encoding) {
            (Encoding::Categorical, Encoding::Categorical) => {
                map_categorical_mlp(&input_space, &output_space, |x| {
                    let target =
                        BasisDirection::with_value(node.label.clone(), call(x.value.as_ref()?)?);
                    output_space.contains(&target).then_some(target)
                })
            }
            (Encoding::Categorical, Encoding::Numerical) => {
                let f = |x: &Value| call(x).and_then(|y| y.as_f64());
                if self.options.tracr_compat {
                    map_categorical_to_numerical_mlp(&input_space, &output_space, f)
                } else {
                    map_categorical_to_numerical_signed_mlp(&input_space, &output_space, f, &hidden)
                }
            }
            (Encoding::Numerical, output_encoding) => {
                let input_direction = self.numerical_direction(input)?;
                let discretisation = Discretisation::new(
                    &self.basis(input)?.value_set,
                    call,
                    !self.options.tracr_compat,
                );
                let slope = self.slope(id, &discretisation);
                if output_encoding == Encoding::Numerical {
                    let output = self.numerical_direction(id)?;
                    if let Some(bad) = discretisation.outputs.iter().find(|y| y.as_f64().is_none())
                    {
                        return Err(format!(
                            "a numerical map must give numbers, but it gives `{bad}`"
                        ));
                    }
                    map_numerical_mlp(
                        &input_direction,
                        &output,
                        &self.one,
                        &discretisation,
                        &hidden,
                        slope,
                    )
                } else {
                    map_numerical_to_categorical_mlp(
                        &input_direction,
                        &output_space,
                        &self.one,
                        &discretisation,
                        &hidden,
                        slope,
                    )?
                }
            }
        };
        Ok(mlp)
    }

    /// Returns the keys, queries and predicate of the select a node reads.
    fn select(&self, selector: usize) -> Result<(usize, usize, Predicate), String> {
        match &self.program.nodes[selector].kind {
            NodeKind::Select {
                keys,
                queries,
                predicate,
            } => Ok((*keys, *queries, predicate.clone())),
            _ => Err(format!(
                "its selector `{}` combines selects with `and`, `or` or `not` over different keys or queries, which has no attention head",
                self.program.nodes[selector].label
            )),
        }
    }

    /// Chooses the slope of a discretising MLP. Tracr's mode uses
    /// `mlp_exactness` as given. The default mode raises it where needed to
    /// twice the smallest separating slope, which leaves a quarter of the
    /// gap between neighbouring inputs as margin.
    fn slope(&mut self, node: usize, discretisation: &Discretisation) -> f64 {
        let requested = self.options.mlp_exactness;
        // Float twins (see `MERGE_TOLERANCE`) share an image, so the slope
        // they would need does not bear on the MLP's accuracy.
        let Some(needed) = min_separating_slope(&discretisation.merged()) else {
            return requested;
        };
        let used = if self.options.tracr_compat || requested >= 2.0 * needed {
            requested
        } else {
            2.0 * needed
        };
        self.slopes.push(SlopeChoice {
            node,
            requested,
            used,
            needed,
        });
        used
    }
}

/// Tracr's name for a node's hidden neurons, `_hidden_{label}_`.
pub fn hidden_name(label: &str) -> String {
    format!("_hidden_{label}_")
}
