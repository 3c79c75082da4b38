//! Maps between JSON pointers and lines of the YAML source.
//!
//! The YAML parser reports lines only for syntax and type errors, and the typed model keeps no
//! positions, so problems found later are located by walking the block structure of the text
//! (indentation, `key:` and `- ` markers). This is best-effort: flow collections (`{a: 1}`) are
//! treated as a single line, which is precise enough to point a reader at the right place.

/// One significant line: a mapping key, a sequence item, or both (`- name: x`).
#[derive(Debug)]
struct Node {
    /// 1-based line number.
    line: usize,
    /// Column of the first character (the `-` for items).
    raw: usize,
    /// Column of the key (after `- ` for items).
    eff: usize,
    item: bool,
    key: Option<String>,
}

fn nodes(source: &str) -> Vec<Node> {
    let mut out = Vec::new();
    // Lines deeper than this column belong to a block scalar (`description: >-`).
    let mut scalar_above: Option<usize> = None;
    for (index, text) in source.lines().enumerate() {
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let raw = text.len() - trimmed.len();
        if let Some(column) = scalar_above {
            if raw > column {
                continue;
            }
            scalar_above = None;
        }
        let (item, rest) = match trimmed.strip_prefix('-') {
            Some(after) if after.is_empty() || after.starts_with(' ') => (true, after.trim_start()),
            _ => (false, trimmed),
        };
        let eff = raw + (trimmed.len() - rest.len());
        let (key, value) = split_key(rest);
        if key.is_some() && is_block_scalar(value) {
            scalar_above = Some(eff);
        }
        out.push(Node {
            line: index + 1,
            raw,
            eff,
            item,
            key,
        });
    }
    out
}

/// Splits `key: value` into the unquoted key and the value text.
fn split_key(text: &str) -> (Option<String>, &str) {
    if let Some(quote) = text.chars().next().filter(|c| *c == '\'' || *c == '"') {
        if let Some(end) = text[1..].find(quote) {
            let after = &text[end + 2..];
            if let Some(value) = after.strip_prefix(':') {
                return (Some(text[1..end + 1].to_owned()), value.trim());
            }
        }
        return (None, text);
    }
    if text.starts_with(['{', '[']) {
        return (None, text);
    }
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            return (Some(text[..i].trim_end().to_owned()), text[i + 1..].trim());
        }
        if *b == b' ' && bytes.get(i + 1) == Some(&b'#') {
            break;
        }
    }
    (None, text)
}

fn is_block_scalar(value: &str) -> bool {
    let value = value.split(" #").next().unwrap_or("").trim();
    matches!(value.chars().next(), Some('|' | '>')) && value.len() <= 3
}

/// The line of the node at `segments` (unescaped pointer segments), or of its deepest ancestor
/// found in the text.
pub fn line_of(source: &str, segments: &[String]) -> Option<usize> {
    let nodes = nodes(source);
    let (mut lo, mut hi) = (0, nodes.len());
    let mut best = None;
    for segment in segments {
        let Some(first) = nodes.get(lo).filter(|_| lo < hi) else {
            break;
        };
        let index = segment.parse::<usize>().ok().filter(|_| first.item);
        let found = match index {
            Some(n) => {
                let column = first.raw;
                let start = (lo..hi)
                    .filter(|&i| nodes[i].item && nodes[i].raw == column)
                    .nth(n);
                start.map(|i| (i, i, end_of(&nodes, i, hi, column, true)))
            }
            None => {
                let column = first.eff;
                (lo..hi)
                    .find(|&i| nodes[i].eff == column && nodes[i].key.as_deref() == Some(segment))
                    .map(|i| (i, i + 1, end_of(&nodes, i, hi, column, false)))
            }
        };
        let Some((at, next_lo, next_hi)) = found else {
            break;
        };
        best = Some(nodes[at].line);
        lo = next_lo;
        hi = next_hi;
    }
    best
}

/// End (exclusive) of the block that starts at node `start` whose own column is `column`.
fn end_of(nodes: &[Node], start: usize, hi: usize, column: usize, item: bool) -> usize {
    (start + 1..hi)
        .find(|&i| {
            let n = &nodes[i];
            if item {
                n.raw < column || (n.raw == column && (n.item || n.eff == column))
            } else {
                n.raw < column || (n.raw == column && !n.item)
            }
        })
        .unwrap_or(hi)
}

/// The JSON pointer of the innermost node that starts at or before `line`.
pub fn pointer_at(source: &str, line: usize) -> String {
    struct Entry {
        column: usize,
        item: bool,
        segment: String,
        items_seen: usize,
    }
    let mut stack: Vec<Entry> = Vec::new();
    let mut root_items = 0;
    for node in nodes(source).into_iter().take_while(|n| n.line <= line) {
        if node.item {
            while stack
                .last()
                .is_some_and(|top| top.column > node.raw || (top.item && top.column == node.raw))
            {
                stack.pop();
            }
            let counter = match stack.last_mut() {
                Some(top) => &mut top.items_seen,
                None => &mut root_items,
            };
            let index = *counter;
            *counter += 1;
            stack.push(Entry {
                column: node.raw,
                item: true,
                segment: index.to_string(),
                items_seen: 0,
            });
        } else {
            while stack.last().is_some_and(|top| top.column >= node.eff) {
                stack.pop();
            }
        }
        if let Some(key) = node.key {
            stack.push(Entry {
                column: node.eff,
                item: false,
                segment: key,
                items_seen: 0,
            });
        }
    }
    let mut pointer = crate::diag::Pointer::root();
    for entry in &stack {
        pointer = pointer.join(&entry.segment);
    }
    pointer.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      description: >-\n        text: not a key\n      parameters:\n        - name: id\n          in: path\n        - name: q\n          schema: {type: string}\n      responses:\n        '200': {description: ok}\n";

    fn segs(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_lines_of_pointers() {
        assert_eq!(line_of(DOC, &segs(&["paths", "/a/{id}", "get"])), Some(4));
        assert_eq!(
            line_of(
                DOC,
                &segs(&["paths", "/a/{id}", "get", "parameters", "1", "schema"])
            ),
            Some(11)
        );
        assert_eq!(
            line_of(
                DOC,
                &segs(&["paths", "/a/{id}", "get", "parameters", "0", "in"])
            ),
            Some(9)
        );
        assert_eq!(
            line_of(DOC, &segs(&["paths", "/a/{id}", "get", "responses", "200"])),
            Some(13)
        );
        // Missing leaf: the deepest ancestor found.
        assert_eq!(
            line_of(DOC, &segs(&["paths", "/a/{id}", "get", "requestBody"])),
            Some(4)
        );
    }

    #[test]
    fn finds_pointers_of_lines() {
        assert_eq!(pointer_at(DOC, 9), "#/paths/~1a~1{id}/get/parameters/0/in");
        assert_eq!(
            pointer_at(DOC, 11),
            "#/paths/~1a~1{id}/get/parameters/1/schema"
        );
        assert_eq!(pointer_at(DOC, 6), "#/paths/~1a~1{id}/get/description");
        assert_eq!(pointer_at(DOC, 13), "#/paths/~1a~1{id}/get/responses/200");
    }
}
