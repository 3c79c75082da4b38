//! Samples for a subset of regex-lite patterns: literals, escapes, classes, `.`, groups with
//! alternation (the first branch is taken), and the usual quantifiers. Anything else is
//! unsupported (`None`), and every sample is checked against the real regex before use.

/// One piece of a pattern.
pub enum Node {
    /// One character to emit.
    Char(char),
    /// Emits nothing (anchors, word boundaries).
    Empty,
    /// The first branch of a group.
    Group(Vec<Node>),
    /// A piece repeated between `min` and `max` (`None`: unbounded) times.
    Repeat(Box<Node>, u32, Option<u32>),
}

/// Parses `pattern`, or `None` when it uses something unsupported.
pub fn parse(pattern: &str) -> Option<Vec<Node>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    let nodes = sequence(&chars, &mut at)?;
    (at == chars.len()).then_some(nodes)
}

/// The sample string: each open-ended repeat runs `min + extra` times (capped at `max`).
pub fn sample(nodes: &[Node], extra: u32) -> String {
    let mut out = String::new();
    for node in nodes {
        emit(node, extra, &mut out);
    }
    out
}

fn emit(node: &Node, extra: u32, out: &mut String) {
    match node {
        Node::Char(c) => out.push(*c),
        Node::Empty => {}
        Node::Group(nodes) => out.push_str(&sample(nodes, extra)),
        Node::Repeat(inner, min, max) => {
            let count = max.map_or(min + extra, |max| (min + extra).min(max));
            for _ in 0..count {
                emit(inner, extra, out);
            }
        }
    }
}

/// A sequence up to `)` or the end; of an alternation, only the first branch is kept.
fn sequence(chars: &[char], at: &mut usize) -> Option<Vec<Node>> {
    let mut nodes = Vec::new();
    while let Some(&c) = chars.get(*at) {
        if c == ')' {
            break;
        }
        if c == '|' {
            // Skip the other branches: the first one is the sample.
            *at += 1;
            sequence(chars, at)?;
            break;
        }
        *at += 1;
        let node = match c {
            '^' | '$' => Node::Empty,
            '.' => Node::Char('a'),
            '(' => {
                if chars.get(*at) == Some(&'?') {
                    // `(?:...)`, `(?i)`-style flags: only the non-capturing group.
                    if chars.get(*at + 1) != Some(&':') {
                        return None;
                    }
                    *at += 2;
                }
                let inner = sequence(chars, at)?;
                if chars.get(*at) != Some(&')') {
                    return None;
                }
                *at += 1;
                Node::Group(inner)
            }
            '[' => class(chars, at)?,
            '\\' => match escape(chars, at)? {
                Escape::Literal(c) | Escape::Class(c) => Node::Char(c),
                Escape::Assertion => Node::Empty,
            },
            '*' | '+' | '?' | '{' => return None,
            other => Node::Char(other),
        };
        let node = quantifier(chars, at, node)?;
        nodes.push(node);
    }
    Some(nodes)
}

fn quantifier(chars: &[char], at: &mut usize, node: Node) -> Option<Node> {
    let (min, max) = match chars.get(*at) {
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('?') => (0, Some(1)),
        Some('{') => {
            let close = chars[*at..].iter().position(|c| *c == '}')? + *at;
            let body: String = chars[*at + 1..close].iter().collect();
            let (min, max) = match body.split_once(',') {
                None => {
                    let n = body.trim().parse().ok()?;
                    (n, Some(n))
                }
                Some((min, max)) => {
                    let min = min.trim().parse().ok()?;
                    let max = max.trim();
                    (
                        min,
                        if max.is_empty() {
                            None
                        } else {
                            Some(max.parse().ok()?)
                        },
                    )
                }
            };
            *at = close;
            (min, max)
        }
        _ => return Some(node),
    };
    *at += 1;
    // A lazy marker changes nothing for a sample.
    if chars.get(*at) == Some(&'?') {
        *at += 1;
    }
    Some(Node::Repeat(Box::new(node), min, max))
}

/// What an escape stands for.
enum Escape {
    /// One character, which may also bound a class range.
    Literal(char),
    /// A class such as `\d`, by a sample member.
    Class(char),
    /// A zero-width assertion.
    Assertion,
}

/// The escape after a `\`; `None` when unsupported (such as `\p{..}`).
fn escape(chars: &[char], at: &mut usize) -> Option<Escape> {
    let c = *chars.get(*at)?;
    *at += 1;
    Some(match c {
        'd' => Escape::Class('0'),
        'w' | 'D' | 'S' => Escape::Class('a'),
        's' => Escape::Class(' '),
        'W' => Escape::Class('-'),
        'b' | 'B' | 'A' | 'z' => Escape::Assertion,
        'n' => Escape::Literal('\n'),
        't' => Escape::Literal('\t'),
        'x' => Escape::Literal(hex_escape(chars, at)?),
        other if other.is_ascii_alphanumeric() => return None,
        other => Escape::Literal(other),
    })
}

/// `\x{HHHH}` or `\xHH`, after the `x`.
fn hex_escape(chars: &[char], at: &mut usize) -> Option<char> {
    let digits: String = if chars.get(*at) == Some(&'{') {
        let close = chars[*at..].iter().position(|c| *c == '}')? + *at;
        let digits = chars[*at + 1..close].iter().collect();
        *at = close + 1;
        digits
    } else {
        let digits = chars.get(*at..*at + 2)?.iter().collect();
        *at += 2;
        digits
    };
    char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
}

/// One class member or range bound.
fn class_char(chars: &[char], at: &mut usize) -> Option<Escape> {
    let c = *chars.get(*at)?;
    *at += 1;
    match c {
        '\\' => escape(chars, at),
        // Nested classes and set operations are beyond this sampler.
        '[' => None,
        other => Some(Escape::Literal(other)),
    }
}

/// A `[...]` class, after the `[`: its first member, or for a negated class the first of a
/// few plain characters it does not exclude.
fn class(chars: &[char], at: &mut usize) -> Option<Node> {
    let negated = chars.get(*at) == Some(&'^');
    if negated {
        *at += 1;
    }
    let mut ranges: Vec<(char, char)> = Vec::new();
    // A `]` right after `[` or `[^` is a member.
    if chars.get(*at) == Some(&']') {
        *at += 1;
        ranges.push((']', ']'));
    }
    while chars.get(*at) != Some(&']') {
        let start = match class_char(chars, at)? {
            Escape::Literal(c) => c,
            Escape::Class(c) => {
                ranges.push((c, c));
                continue;
            }
            Escape::Assertion => return None,
        };
        let is_range =
            chars.get(*at) == Some(&'-') && chars.get(*at + 1).is_some_and(|c| *c != ']');
        if is_range {
            *at += 1;
            let Escape::Literal(end) = class_char(chars, at)? else {
                return None;
            };
            ranges.push((start, end));
        } else {
            ranges.push((start, start));
        }
    }
    *at += 1;
    if negated {
        "aA0_-. x"
            .chars()
            .find(|c| !ranges.iter().any(|(lo, hi)| (lo..=hi).contains(&c)))
            .map(Node::Char)
    } else {
        ranges.first().map(|(lo, _)| Node::Char(*lo))
    }
}
