//! The attention pattern of one head as a heat map over the input tokens,
//! or, on an MLP step, the hidden activations of one node's neurons.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::model::Sublayer;
use crate::model::forward::HeadTrace;
use crate::report::describe;
use crate::tui::app::{Debugger, Pane};
use crate::tui::panes::{pad, pad_label, pane_block};
use crate::tui::{theme, viewport};

pub struct AttentionPane<'a> {
    pub debugger: &'a Debugger,
}

/// The pane's content.
pub enum Content<'a> {
    Head {
        sublayer: usize,
        index: usize,
        n_heads: usize,
        head: &'a HeadTrace,
    },
    Mlp {
        sublayer: usize,
        node: usize,
    },
    Nothing(String),
}

/// Chooses the pane's content: the current attention sublayer's chosen
/// head; on an MLP step the selected node's neurons (or the sublayer's
/// first node's); otherwise the selected node's own head.
pub fn content(debugger: &Debugger) -> Content<'_> {
    let session = &debugger.session;
    let trace = &session.trace;
    match debugger.sublayer() {
        Some(sublayer) if sublayer % 2 == 0 && !trace.heads[sublayer].is_empty() => {
            let heads = &trace.heads[sublayer];
            let index = debugger.head.min(heads.len() - 1);
            return Content::Head {
                sublayer,
                index,
                n_heads: heads.len(),
                head: &heads[index],
            };
        }
        Some(sublayer) if sublayer % 2 == 1 => {
            let nodes = session.sublayer_nodes(sublayer);
            if !nodes.is_empty() {
                let node = if nodes.contains(&debugger.selected_node) {
                    debugger.selected_node
                } else {
                    nodes[0]
                };
                return Content::Mlp { sublayer, node };
            }
        }
        _ => {}
    }
    let node = debugger.selected_node;
    if let Some(sublayer) = session.compiled.sublayer[node] {
        if let Some(index) = trace.heads[sublayer]
            .iter()
            .position(|head| head.node == node)
        {
            let heads = &trace.heads[sublayer];
            return Content::Head {
                sublayer,
                index,
                n_heads: heads.len(),
                head: &heads[index],
            };
        }
    }
    Content::Nothing(format!(
        "{} has no attention head. Step to an attention sublayer (→), or select a node computed by attention and press Enter.",
        if debugger.step == 0 {
            "The embedding"
        } else {
            "This sublayer"
        }
    ))
}

impl Widget for AttentionPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let debugger = self.debugger;
        let session = &debugger.session;
        let program = &session.program;
        let focused = debugger.focus == Pane::Attention;
        match content(debugger) {
            Content::Nothing(message) => {
                let block = pane_block(" Attention ".to_string(), focused);
                Paragraph::new(Span::styled(message, theme::DIM))
                    .wrap(Wrap { trim: true })
                    .block(block)
                    .render(area, buf);
            }
            Content::Head {
                sublayer,
                index,
                n_heads,
                head,
            } => {
                let node = &program.nodes[head.node];
                let selector = match &node.kind {
                    crate::rasp::program::NodeKind::Aggregate { selector, .. }
                    | crate::rasp::program::NodeKind::SelectorWidth { selector } => {
                        describe(program, &program.nodes[*selector].kind)
                    }
                    _ => String::new(),
                };
                let title = format!(
                    " Attention · layer {} · head {}/{} · {} = {} · {} ",
                    sublayer / 2,
                    index + 1,
                    n_heads,
                    node.label,
                    describe(program, &node.kind),
                    selector
                );
                let block = pane_block(title, focused);
                let inner = block.inner(area);
                block.render(area, buf);
                render_heat_map(debugger, head, inner, buf);
            }
            Content::Mlp { sublayer, node } => {
                let title = format!(
                    " MLP · layer {} · {} = {} ",
                    sublayer / 2,
                    program.nodes[node].label,
                    describe(program, &program.nodes[node].kind)
                );
                let block = pane_block(title, focused);
                let inner = block.inner(area);
                block.render(area, buf);
                render_neurons(debugger, sublayer, node, inner, buf);
            }
        }
    }
}

fn render_heat_map(debugger: &Debugger, head: &HeadTrace, area: Rect, buf: &mut Buffer) {
    let tokens = &debugger.session.trace.tokens;
    let label_width = tokens
        .iter()
        .map(|t| t.to_string().chars().count())
        .max()
        .unwrap_or(3)
        .max(11)
        + 1;
    let cell = 6;
    let n_columns = viewport::columns_that_fit(area.width as usize, label_width, cell)
        .min(tokens.len().saturating_sub(debugger.first_position));
    let keys: Vec<usize> = (debugger.first_position..tokens.len())
        .take(n_columns)
        .collect();

    // Query rows scroll with ↑/↓ when this pane has the focus.
    let height = area.height.saturating_sub(1) as usize;
    let first_query = debugger
        .detail_scroll
        .min(tokens.len().saturating_sub(height));
    let hidden_rows = tokens.len().saturating_sub(first_query + height);
    let corner = if first_query > 0 || hidden_rows > 0 {
        format!(
            "query {}-{}/{}",
            first_query,
            (first_query + height).min(tokens.len()) - 1,
            tokens.len()
        )
    } else {
        "query\\key".to_string()
    };

    // Values print one column into their cell, so headers do too.
    let mut header = vec![Span::styled(pad(&corner, label_width), theme::DIM)];
    header.extend(
        keys.iter()
            .map(|&k| Span::styled(pad(&format!(" {}", tokens[k]), cell), theme::TITLE)),
    );
    let mut lines = vec![Line::from(header)];
    for (query, token) in tokens.iter().enumerate().skip(first_query).take(height) {
        let mut spans = vec![Span::styled(
            pad(&format!("{query}:{token}"), label_width),
            theme::TITLE,
        )];
        for &key in &keys {
            let weight = head.pattern[[query, key]];
            let text = if weight < 0.005 {
                String::new()
            } else {
                format!("{weight:.2}")
            };
            spans.push(Span::styled(
                pad(&format!(" {text}"), cell),
                theme::heat(weight),
            ));
        }
        lines.push(Line::from(spans));
    }
    Paragraph::new(lines).render(area, buf);
}

fn render_neurons(debugger: &Debugger, sublayer: usize, node: usize, area: Rect, buf: &mut Buffer) {
    let session = &debugger.session;
    let Some(Sublayer::Mlp(Some(mlp))) = session.compiled.model.sublayers.get(sublayer) else {
        return;
    };
    let Some(hidden) = &session.trace.mlp_hidden[sublayer] else {
        return;
    };
    let neurons: Vec<usize> = (0..mlp.hidden.len())
        .filter(|&n| mlp.hidden_nodes[n].contains(&node))
        .collect();
    let tokens = &session.trace.tokens;
    let cell = 7;

    // Names get what the position columns leave, between 12 and 60 characters.
    let program_label = session.program.nodes[node].label.clone();
    let widest = neurons
        .iter()
        .map(|&n| neuron_label(&mlp.hidden[n], &program_label).chars().count())
        .max()
        .unwrap_or(10);
    let room = (area.width as usize).saturating_sub(tokens.len() * cell + 1);
    let label_width = widest.min(room).clamp(12, 60) + 1;
    let n_columns = viewport::columns_that_fit(area.width as usize, label_width, cell)
        .min(tokens.len().saturating_sub(debugger.first_position));
    let positions: Vec<usize> = (debugger.first_position..tokens.len())
        .take(n_columns)
        .collect();

    // Neurons that fire come first, so the top of the list shows what matters.
    let fires = |n: usize| hidden.column(n).iter().any(|v| *v > 1e-6);
    let mut ordered: Vec<usize> = neurons.iter().copied().filter(|&n| fires(n)).collect();
    let n_firing = ordered.len();
    ordered.extend(neurons.iter().copied().filter(|&n| !fires(n)));

    let height = area.height.saturating_sub(1) as usize;
    let first = debugger
        .detail_scroll
        .min(ordered.len().saturating_sub(height));
    let title = if ordered.len() > height {
        format!(
            "neurons {}-{}/{} ({n_firing} fire)",
            first + 1,
            (first + height).min(ordered.len()),
            ordered.len()
        )
    } else {
        format!("neurons ({n_firing} of {} fire)", ordered.len())
    };
    let mut header = vec![Span::styled(pad_label(&title, label_width), theme::DIM)];
    header.extend(
        positions
            .iter()
            .map(|&p| Span::styled(pad(&tokens[p].to_string(), cell), theme::TITLE)),
    );
    let mut lines = vec![Line::from(header)];
    for &n in ordered.iter().skip(first).take(height) {
        let name = neuron_label(&mlp.hidden[n], &program_label);
        let mut spans = vec![Span::styled(pad_label(&name, label_width), theme::TEXT)];
        for &p in &positions {
            let value = hidden[[p, n]];
            let (text, style) = if value.abs() < 0.005 {
                ("·".to_string(), theme::DIM)
            } else {
                (format!("{value:.2}"), theme::CHANGED)
            };
            spans.push(Span::styled(pad(&text, cell), style));
        }
        lines.push(Line::from(spans));
    }
    Paragraph::new(lines).render(area, buf);
}

/// Names a hidden neuron for the MLP pane, which already names its node:
/// `tokens:1 & indices:0` for a sequence-map pair, `step 3 +` and `step 3 −`
/// for the two neurons of a discretising threshold, `start`, `clean BOS`,
/// or the direction's own label for anything else.
pub fn neuron_label(direction: &crate::craft::BasisDirection, node_label: &str) -> String {
    use crate::value::Value;
    let own = format!("_hidden_{node_label}_");
    if direction.name.starts_with("_hidden_clean_bos_") {
        return "clean BOS".to_string();
    }
    if direction.name == format!("{own}start") {
        return "start".to_string();
    }
    if direction.name != own {
        return direction.to_string();
    }
    match &direction.value {
        Some(Value::List(items)) => match items.as_slice() {
            [Value::Str(x_name), x, Value::Str(y_name), y] => {
                format!("{x_name}:{x} & {y_name}:{y}")
            }
            [Value::Int(k), Value::Int(i)] => {
                format!("step {k} {}", if *i == 0 { "+" } else { "−" })
            }
            _ => direction.to_string(),
        },
        Some(value) => format!("{value}"),
        None => direction.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::neuron_label;
    use crate::craft::BasisDirection;
    use crate::value::Value;

    #[test]
    fn neuron_labels_drop_node_prefix() {
        let pair = BasisDirection::with_value(
            "_hidden_key_",
            Value::List(vec![
                Value::Str("tokens".into()),
                Value::Int(1),
                Value::Str("indices".into()),
                Value::Int(0),
            ]),
        );
        assert_eq!(neuron_label(&pair, "key"), "tokens:1 & indices:0");
        let step = BasisDirection::with_value(
            "_hidden_w_",
            Value::List(vec![Value::Int(3), Value::Int(1)]),
        );
        assert_eq!(neuron_label(&step, "w"), "step 3 −");
        assert_eq!(
            neuron_label(&BasisDirection::named("_hidden_w_start"), "w"),
            "start"
        );
        assert_eq!(
            neuron_label(&BasisDirection::named("_hidden_clean_bos_w_"), "w"),
            "clean BOS"
        );
        let other = BasisDirection::with_value("out", Value::Bool(true));
        assert_eq!(neuron_label(&other, "w"), "out:True");
    }
}
