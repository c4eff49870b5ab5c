//! The relations overview: which countries and organisations the articles mention together, drawn by
//! the build as a static SVG network (no script, no library): the most mentioned entities on a
//! circle, each a link to its page, sized by its articles, and a line between two entities for the
//! articles that mention both, thicker for more. The strongest pairs are also listed as text.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::content::EntityKind;
use crate::derive::{EntityRef, Site};

use super::entity_path;
use super::templates::escape_html as escape;

/// How many entities the network shows.
pub const NODES: usize = 30;
/// How many lines it draws at most (the strongest).
const EDGES: usize = 160;
/// How many pairs the text list gives.
const PAIRS: usize = 40;

/// A pair of entities and the articles that mention both.
#[derive(Serialize, Hash)]
pub struct Pair {
    pub a: Node,
    pub b: Node,
    pub count: usize,
}

#[derive(Serialize, Hash, Clone)]
pub struct Node {
    pub name: String,
    /// The name on the drawing: an organisation's acronym when its name is long.
    pub label: String,
    pub path: String,
    pub kind: &'static str,
    pub articles: usize,
}

/// The network's SVG (paths relative to `root`) and its strongest pairs.
pub fn overview(site: &Site, root: &str) -> (String, Vec<Pair>) {
    let mut candidates: Vec<EntityRef> = [EntityKind::Country, EntityKind::Organisation]
        .iter()
        .flat_map(|&kind| (0..site.entities.get(kind).len()).map(move |i| (kind, i)))
        .filter(|&e| !site.entity(e).articles.is_empty())
        .collect();
    // Most mentioned first; ties by name, so the choice never depends on anything else.
    candidates.sort_by(|&a, &b| {
        let (ea, eb) = (site.entity(a), site.entity(b));
        (std::cmp::Reverse(ea.articles.len()), &ea.name)
            .cmp(&(std::cmp::Reverse(eb.articles.len()), &eb.name))
    });
    candidates.truncate(NODES);
    let position: BTreeMap<EntityRef, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, &e)| (e, i))
        .collect();

    // Co-mentions among the chosen: one pass over the articles.
    let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for article in &site.articles {
        let here: Vec<usize> = [EntityKind::Country, EntityKind::Organisation]
            .iter()
            .flat_map(|&kind| article.mentioned.get(kind).iter().map(move |&i| (kind, i)))
            .filter_map(|e| position.get(&e).copied())
            .collect();
        for (n, &a) in here.iter().enumerate() {
            for &b in &here[n + 1..] {
                *counts.entry((a.min(b), a.max(b))).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((usize, usize), usize)> = counts.into_iter().collect();
    pairs.sort_by_key(|&(pair, count)| (std::cmp::Reverse(count), pair));

    let nodes: Vec<Node> = candidates
        .iter()
        .map(|&e| {
            let entity = site.entity(e);
            let acronym = entity
                .organisation
                .as_ref()
                .and_then(|o| o.acronyms.first())
                .filter(|_| entity.name.chars().count() > 18);
            Node {
                label: acronym.cloned().unwrap_or_else(|| entity.name.clone()),
                name: entity.name.clone(),
                path: entity_path(e.0, &entity.slug),
                kind: e.0.singular(),
                articles: entity.articles.len(),
            }
        })
        .collect();
    let svg = draw(&nodes, &pairs[..pairs.len().min(EDGES)], root);
    let listed = pairs
        .iter()
        .take(PAIRS)
        .map(|&((a, b), count)| Pair {
            a: nodes[a].clone(),
            b: nodes[b].clone(),
            count,
        })
        .collect();
    (svg, listed)
}

/// The network on a circle: nodes in order of mentions, clockwise from the top.
fn draw(nodes: &[Node], pairs: &[((usize, usize), usize)], root: &str) -> String {
    // Wider than high: the labels stand left and right of the circle.
    let (width, height, radius) = (1000.0_f64, 720.0_f64, 300.0_f64);
    let (cx0, cy0) = (width / 2.0, height / 2.0);
    let at = |i: usize| {
        let angle = std::f64::consts::TAU * i as f64 / nodes.len().max(1) as f64
            - std::f64::consts::FRAC_PI_2;
        (
            cx0 + radius * angle.cos(),
            cy0 + radius * angle.sin(),
            angle,
        )
    };
    let strongest = pairs.first().map_or(1, |p| p.1).max(1) as f64;
    let most_articles = nodes.iter().map(|n| n.articles).max().unwrap_or(1).max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="relations-graph" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" role="group" aria-labelledby="relations-graph-title"><title id="relations-graph-title">The {} most mentioned countries and organisations, linked by the articles that mention both</title>"#,
        nodes.len()
    );
    svg.push_str(r#"<g class="edges">"#);
    // Weakest first, so the strongest lines are drawn on top.
    for &((a, b), count) in pairs.iter().rev() {
        let ((x1, y1, _), (x2, y2, _)) = (at(a), at(b));
        // A curve bent towards the centre keeps lines between neighbours off the circle.
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        let (cx, cy) = (cx0 + (mx - cx0) * 0.35, cy0 + (my - cy0) * 0.35);
        let width = 0.6 + 5.4 * count as f64 / strongest;
        let _ = write!(
            svg,
            r#"<path d="M{x1:.1} {y1:.1}Q{cx:.1} {cy:.1} {x2:.1} {y2:.1}" stroke-width="{width:.2}"><title>{} and {}: {count} article{}</title></path>"#,
            escape(&nodes[a].name),
            escape(&nodes[b].name),
            if count == 1 { "" } else { "s" }
        );
    }
    svg.push_str("</g><g class=\"nodes\">");
    for (i, node) in nodes.iter().enumerate() {
        let (x, y, angle) = at(i);
        let r = 4.0 + 10.0 * (node.articles as f64 / most_articles).sqrt();
        let (lx, ly) = (
            cx0 + (radius + r + 8.0) * angle.cos(),
            cy0 + (radius + r + 8.0) * angle.sin(),
        );
        let anchor = if angle.cos().abs() < 0.2 {
            "middle"
        } else if angle.cos() > 0.0 {
            "start"
        } else {
            "end"
        };
        let _ = write!(
            svg,
            r#"<a href="{}{}" class="node node-{}"><title>{}: {} article{}</title><circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}"/><text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}">{}</text></a>"#,
            escape(root),
            escape(&node.path),
            node.kind,
            escape(&node.name),
            node.articles,
            if node.articles == 1 { "" } else { "s" },
            ly + 4.0,
            escape(&node.label)
        );
    }
    svg.push_str("</g></svg>");
    svg
}
